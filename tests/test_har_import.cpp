// Tests for har_import.
#include "doctest/doctest.h"
#include "test_support.h"
