/* kit provider plugin ABI v1 — placeholder; the full header is written by the plugin work. */
#ifndef KIT_PLUGIN_H
#define KIT_PLUGIN_H
#include <stdint.h>
#endif
