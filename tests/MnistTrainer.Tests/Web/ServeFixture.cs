namespace MnistTrainer.Tests.Web;

/// <summary>One <c>serve</c> on the test digit model, with the real test files, shared by the tests of a class.</summary>
public sealed class ServeFixture : IDisposable
{
    readonly Lazy<RunningServe> serve = new(() =>
        RunningServe.Start("--model", TestModel.FilePath, "--data-dir", TestData.MnistSubsetFolder));

    public RunningServe Serve => serve.Value;

    public void Dispose()
    {
        if (serve.IsValueCreated) serve.Value.Dispose();
    }
}
