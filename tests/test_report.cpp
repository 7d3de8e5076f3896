// Tests for report.
#include "doctest/doctest.h"
#include "test_support.h"
