// Tests for golden.
#include "doctest/doctest.h"
#include "test_support.h"
