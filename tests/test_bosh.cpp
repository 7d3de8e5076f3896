// Tests for bosh.
#include "doctest/doctest.h"
#include "test_support.h"
