#include "kit_plugin.h"
