// Torch keeps global state (the random seed, the thread count) that tests set; run them one at a time
// so one test's seed cannot interleave with another's network initialization.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace MnistTrainer.Tests
{
    static class TorchDefaults
    {
        /// <summary>The app's default thread count, for tests that call the core directly (see Cli/ThreadOptions).</summary>
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void UseTheAppsThreadCount() => TorchSharp.torch.set_num_threads(MnistTrainer.Cli.ThreadOptions.Default);
    }
}
