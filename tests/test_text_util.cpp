// Tests for text_util.
#include "doctest/doctest.h"
#include "test_support.h"
