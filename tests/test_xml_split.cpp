// Tests for xml_split.
#include "doctest/doctest.h"
#include "test_support.h"
