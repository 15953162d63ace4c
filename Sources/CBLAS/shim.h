#ifndef LSTMCAST_CBLAS_SHIM_H
#define LSTMCAST_CBLAS_SHIM_H

// OpenBLAS's CBLAS interface: cblas_sgemm carries the LSTM's gate products.
// openblas_set_num_threads lets the trainer choose its own thread count.
#include <cblas.h>

#endif
