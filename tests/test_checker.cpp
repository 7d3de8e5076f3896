// Tests for checker.
#include "doctest/doctest.h"
#include "test_support.h"
