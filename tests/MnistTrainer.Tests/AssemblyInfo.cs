// Test classes run in parallel (xunit's default: one class per core). What they share of torch's global state
// is safe: every test runs one torch thread (below), and the global generator is seeded and drawn from only
// under MnistNetwork's lock. Classes that share more run alone, in a collection of TestCollections.

namespace MnistTrainer.Tests
{
    static class TorchDefaults
    {
        /// <summary>The app's default thread count, for tests that call the core directly (see Cli/SharedOptions.DefaultThreads).</summary>
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void UseTheAppsThreadCount() => TorchSharp.torch.set_num_threads(MnistTrainer.Cli.SharedOptions.DefaultThreads);
    }
}
