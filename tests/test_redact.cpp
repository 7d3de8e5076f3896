// Tests for redact.
#include "doctest/doctest.h"
#include "test_support.h"
