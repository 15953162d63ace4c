#ifndef LSTMCAST_CZEROMQ_SHIM_H
#define LSTMCAST_CZEROMQ_SHIM_H

// libzmq's public C API: contexts, sockets, messages, zmq_poll and zmq_errno.
#include <zmq.h>

#endif
