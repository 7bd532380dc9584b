// Torch keeps global state (the random seed, the thread count) that tests set; run them one at a time
// so one test's seed cannot interleave with another's network initialization.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
