using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MnistTrainer.Data;
using MnistTrainer.Interop;
using MnistTrainer.Model;
using Onnx;
using Xunit.Abstractions;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MnistTrainer.Tests.Interop;

/// <summary>
/// The exported ONNX graph, run by ONNX Runtime (no libtorch in that path), computes what MnistTrainer computes,
/// and Debian's python3-onnx finds it valid.
/// </summary>
public sealed class OnnxFormatTests(ITestOutputHelper log) : IDisposable
{
    readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string Export(OnnxInput input)
    {
        var path = _folder[$"mnist-{OnnxFormat.NameOf(input)}.onnx"];
        OnnxFormat.Save(path, TestModel.Model.Network, TestModel.Model.Metadata, input);
        return path;
    }

    [Theory]
    [InlineData(OnnxInput.Normalized)]
    [InlineData(OnnxInput.Raw)]
    public void ONNX_Runtime_gives_MnistTrainers_log_probabilities_and_accuracy_on_every_committed_real_digit(OnnxInput input)
    {
        var test = RealDatasets.Mnist;
        using var session = new InferenceSession(Export(input));

        var here = LogProbabilities(TestModel.Model.Network, test.Pixels);
        var there = OnnxRuntimeRun(session, InputFor(input, test.Pixels), test.Count);

        Assert.Equal(here.Length, there.Length);
        double largest = here.Zip(there, (a, b) => Math.Abs((double)a - b)).Max();
        log.WriteLine($"{input} input, {test.Count} real test digits: largest |ONNX Runtime - MnistTrainer| = {largest:E2}; " +
            $"accuracy MnistTrainer {Accuracy(here, test.Labels):P2}, ONNX Runtime {Accuracy(there, test.Labels):P2}");
        Assert.True(largest <= 1e-5, $"largest difference {largest:E2} over {test.Count} images");
        Assert.Equal(Accuracy(here, test.Labels), Accuracy(there, test.Labels));
        Assert.True(Accuracy(there, test.Labels) > 0.9, $"accuracy {Accuracy(there, test.Labels):P2}: the model is not the trained one");
    }

    [Fact]
    public void The_raw_graph_normalizes_to_the_very_floats_MnistTrainer_feeds_its_network()
    {
        // Every pixel value 0–255 appears in these images, so every entry of the normalization table is exercised.
        var pixels = RealDatasets.MnistTestPart.Slice(0, 200).Pixels;
        Assert.Equal(256, pixels.Distinct().Count());
        using var raw = new InferenceSession(Export(OnnxInput.Raw));
        using var normalized = new InferenceSession(Export(OnnxInput.Normalized));

        var fromRaw = OnnxRuntimeRun(raw, InputFor(OnnxInput.Raw, pixels), 200);
        var fromNormalized = OnnxRuntimeRun(normalized, InputFor(OnnxInput.Normalized, pixels), 200);

        Assert.Equal(fromNormalized, fromRaw); // bit for bit: the same Gemm inputs
    }

    [Fact]
    public void The_graph_has_the_promised_names_shapes_versions_and_metadata()
    {
        var path = Export(OnnxInput.Raw);
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));

        Assert.Equal(8, model.IrVersion);
        Assert.Equal(13, Assert.Single(model.OpsetImport).Version);
        Assert.Equal(["Div", "Sub", "Div", "Gemm", "Relu", "Gemm", "Relu", "Gemm", "LogSoftmax"], model.Graph.Node.Select(n => n.OpType));
        Assert.All(model.Graph.Node.Where(n => n.OpType == "Gemm"), n => Assert.Equal(1, n.Attribute.Single(a => a.Name == "transB").I));
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("mnist", metadata["dataset"]);
        Assert.Equal("[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]", metadata["class_names"]);
        Assert.Equal("(x/255 - 0.5) / 0.5, done inside the graph", metadata["normalization"]);
        Assert.Contains("\"epochs\":5,\"learning_rate\":0.05,\"batch_size\":32,\"seed\":1", metadata["training"]);

        using var session = new InferenceSession(path);
        var input = Assert.Single(session.InputMetadata);
        Assert.Equal(OnnxFormat.InputName, input.Key);
        Assert.Equal([-1, 784], input.Value.Dimensions); // -1: the batch size is free
        Assert.Equal([-1, 10], session.OutputMetadata[OnnxFormat.OutputName].Dimensions);
        foreach (int batch in new[] { 1, 7 })
            Assert.Equal(batch * 10, OnnxRuntimeRun(session, new float[batch * 784], batch).Length);
    }

    [PythonOnnxFact]
    public void Debians_python3_onnx_checks_the_model_with_full_check()
    {
        foreach (var input in new[] { OnnxInput.Normalized, OnnxInput.Raw })
        {
            var (exitCode, output, error) = PythonTorch.Run("-c",
                "import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); " +
                "print(m.ir_version, m.opset_import[0].version, [o.name for o in m.graph.output])", Export(input));

            Assert.True(exitCode == 0, $"onnx.checker refused the {input} graph:\n{error}");
            Assert.Equal("8 13 ['log_probabilities']", output.Trim());
        }
    }

    /// <summary>MnistTrainer's own path: bytes normalized by <see cref="InputNormalization"/>, then the TorchSharp network.</summary>
    static float[] LogProbabilities(Sequential network, byte[] pixels)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        network.eval();
        var batch = tensor(pixels, [pixels.Length / DatasetInfo.ImagePixels, DatasetInfo.ImagePixels]);
        return network.call(InputNormalization.Apply(batch)).data<float>().ToArray();
    }

    static float[] InputFor(OnnxInput input, byte[] pixels)
    {
        if (input == OnnxInput.Raw) return pixels.Select(p => (float)p).ToArray();
        var table = InputNormalization.Table();
        return pixels.Select(p => table[p]).ToArray();
    }

    static float[] OnnxRuntimeRun(InferenceSession session, float[] pixels, int count)
    {
        var input = NamedOnnxValue.CreateFromTensor(OnnxFormat.InputName, new DenseTensor<float>(pixels, [count, DatasetInfo.ImagePixels]));
        using var results = session.Run([input]);
        return results.Single(r => r.Name == OnnxFormat.OutputName).AsEnumerable<float>().ToArray();
    }

    static double Accuracy(float[] logProbabilities, byte[] labels)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = logProbabilities.AsSpan(i * 10, 10);
            if (row.IndexOf(row.ToArray().Max()) == labels[i]) correct++;
        }
        return (double)correct / labels.Length;
    }
}

/// <summary>
/// A test that needs Debian's python3-onnx: skipped, with the reason and the command that installs it, where /usr/bin/python3
/// cannot import onnx, unless <see cref="TestData.RequireVariable"/> is 1 (as on CI, which installs it): then it runs and fails.
/// </summary>
public sealed class PythonOnnxFactAttribute : FactAttribute
{
    public PythonOnnxFactAttribute()
    {
        if (PythonTorch.WhyCannotImport("onnx", "python3-onnx") is { } reason && !TestData.Required)
            Skip = $"needs python3-onnx: {reason}";
    }
}
