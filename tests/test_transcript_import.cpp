// Tests for transcript_import.
#include "doctest/doctest.h"
#include "test_support.h"
