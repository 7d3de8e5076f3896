// Tests for finesse_update.
#include "doctest/doctest.h"
#include "test_support.h"
