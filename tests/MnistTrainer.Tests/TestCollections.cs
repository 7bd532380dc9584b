namespace MnistTrainer.Tests;

/// <summary>The test collections that may not run beside others (all other test classes run in parallel).</summary>
public static class TestCollections
{
    /// <summary>Tests that replace the process's <see cref="System.Console"/> output, which every other test's program could write to.</summary>
    public const string Console = "Console";
}

[CollectionDefinition(TestCollections.Console, DisableParallelization = true)]
public sealed class ConsoleCollection;
