// Tests for malformed.
#include "doctest/doctest.h"
#include "test_support.h"
