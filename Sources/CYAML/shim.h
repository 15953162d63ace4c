#ifndef LSTMCAST_CYAML_SHIM_H
#define LSTMCAST_CYAML_SHIM_H

// libyaml's parser; the configuration loader reads its event stream to keep
// a line and column for every key and value.
#include <yaml.h>

#endif
