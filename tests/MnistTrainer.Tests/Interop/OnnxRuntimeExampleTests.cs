using MnistTrainer.Data;
using MnistTrainer.Inference;

namespace MnistTrainer.Tests.Interop;

/// <summary>
/// docs/interop.md's C# example (samples/ClassifyWithOnnxRuntime.cs, compiled into this assembly as its entry point)
/// shown verbatim, and run the way a user runs it: on a file made by <c>export --format onnx</c>, where it must
/// print what <c>predict</c> prints for the same picture.
/// </summary>
[Collection(TestCollections.Console)]
public sealed class OnnxRuntimeExampleTests : IDisposable
{
    static readonly string Example = Path.Combine(TestData.RepoRoot(), "samples", "ClassifyWithOnnxRuntime.cs");
    readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_interop_page_shows_the_example_file_verbatim()
    {
        var page = File.ReadAllText(Path.Combine(TestData.RepoRoot(), "docs", "interop.md"));
        var example = File.ReadAllText(Example);

        Assert.Contains($"```csharp\n{example}```\n", page);
    }

    [Fact]
    public void The_example_prints_the_class_and_probability_that_predict_prints_for_the_same_picture()
    {
        var onnx = _folder["mnist.onnx"];
        var export = CliRun.Of("export", "--model", TestModel.FilePath, "--output", onnx, "--onnx-input", "raw");
        Assert.True(export.ExitCode == 0, export.Error);

        // Unseen test digits, among them one the model gets wrong (found below), so the probabilities are not all near 100%.
        foreach (int index in new[] { TestModel.TrainedOn, TestModel.TrainedOn + 1, RealDatasets.Mnist.Count - 1, FirstMisclassified() })
        {
            var picture = _folder[$"digit-{index}.png"];
            ImageWriter.SaveGrayPng(picture, NetworkInput.FromTestSet(DatasetInfo.Mnist, RealDatasets.Mnist, index).Image);
            var predict = CliRun.Of("predict", "--model", TestModel.FilePath, "--image", picture);
            Assert.True(predict.ExitCode == 0, predict.Error);

            var printed = RunExample(onnx, picture);

            Assert.Equal(PredictedLine(predict.Out), printed.Trim());
        }
    }

    static string PredictedLine(string output) => output.Split('\n').Single(l => l.StartsWith("Predicted: ")).Trim();

    static int FirstMisclassified()
    {
        var predictor = new Predictor(TestModel.Model.Network);
        var test = RealDatasets.Mnist;
        return Enumerable.Range(TestModel.TrainedOn, test.Count - TestModel.TrainedOn)
            .First(i => predictor.Predict(test.Image(i)).PredictedClass != test.Labels[i]);
    }

    /// <summary>Runs the example's top-level statements with these arguments and returns what it wrote to the console.</summary>
    static string RunExample(params string[] args)
    {
        var entryPoint = typeof(OnnxRuntimeExampleTests).Assembly.EntryPoint!;
        var console = Console.Out;
        var output = new StringWriter();
        Console.SetOut(output);
        try { entryPoint.Invoke(null, [args]); }
        finally { Console.SetOut(console); }
        return output.ToString();
    }
}
