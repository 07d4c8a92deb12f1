// A WorkerPool module that cannot load (it throws on import), for the pool's tests.
throw new Error('this module fails to load on purpose');
