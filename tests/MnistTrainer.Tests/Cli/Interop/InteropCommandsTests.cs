using MnistTrainer.Cli;
using MnistTrainer.Data;
using MnistTrainer.Interop;
using MnistTrainer.Model;
using MnistTrainer.Tests.Interop;

namespace MnistTrainer.Tests.Cli;

/// <summary>The import and export commands as a user runs them.</summary>
public sealed class InteropCommandsTests : IDisposable
{
    readonly TempFolder _folder = new();
    readonly StringWriter _out = new();
    readonly StringWriter _error = new();

    public void Dispose() => _folder.Dispose();

    string PathOf(string name) => _folder[name];

    int Run(params string[] args) => App.Run(args, new Terminal(_out, _error, IsInteractive: false), CancellationToken.None);

    [Fact]
    public void Import_makes_a_model_file_that_gives_PyTorch_outputs()
    {
        int code = Run("import", "--from", InteropFixtures.PyTorchPt, "--output", PathOf("imported.model"), "--dataset", "fashion-mnist");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains($"Imported {InteropFixtures.PyTorchPt} as a Fashion-MNIST model: {PathOf("imported.model")}", _out.ToString());
        using var model = ModelFile.Load(PathOf("imported.model"));
        Assert.Equal("fashion-mnist", model.Metadata.Dataset);
        Assert.Equal(DatasetInfo.FashionMnist.ClassNames, model.Metadata.ClassNames);
        Assert.Null(model.Metadata.Training);
        InteropFixtures.AssertSameOutputs(InteropFixtures.Expected, InteropFixtures.Run(model.Network));
    }

    [Fact]
    public void Import_refuses_a_malicious_pickle_as_a_data_error_and_writes_nothing()
    {
        int code = Run("import", "--from", InteropFixtures.MaliciousPt, "--output", PathOf("x.model"));

        Assert.Equal(ExitCodes.DataError, code);
        Assert.StartsWith($"error: {InteropFixtures.MaliciousPt}: refused: the pickle calls posix.system", _error.ToString());
        Assert.False(File.Exists(PathOf("x.model")));
        Assert.False(File.Exists(InteropFixtures.MaliciousMarker));
    }

    [Fact]
    public void Import_needs_from_and_out()
    {
        Assert.Equal(ExitCodes.UsageError, Run("import", "--output", PathOf("x.model")));
        Assert.Contains("--from", _error.ToString());
    }

    [Theory]
    [InlineData("w.safetensors", null, WeightsFormat.Safetensors)]
    [InlineData("w.pt", null, WeightsFormat.Pt)]
    [InlineData("w.pth", null, WeightsFormat.Pt)]
    [InlineData("weights", null, WeightsFormat.Safetensors)]
    [InlineData("weights", "pt", WeightsFormat.Pt)]
    [InlineData("w.pt", "pt", WeightsFormat.Pt)]
    public void Export_chooses_the_format_from_the_option_then_the_extension(string name, string? format, WeightsFormat expected)
    {
        Assert.Equal(ExitCodes.Success, Run("import", "--from", InteropFixtures.PyTorchSafetensors, "--output", PathOf("m.model")));
        string[] args = format == null
            ? ["export", "--model", PathOf("m.model"), "--output", PathOf(name)]
            : ["export", "--model", PathOf("m.model"), "--output", PathOf(name), "--format", format];

        Assert.Equal(ExitCodes.Success, Run(args));

        Assert.Equal(expected, WeightsFormats.Detect(File.ReadAllBytes(PathOf(name))));
        Assert.Contains($"to {PathOf(name)} as {WeightsFormats.NameOf(expected)}", _out.ToString());
        using var exported = WeightsFile.Load(PathOf(name));
        InteropFixtures.AssertSameOutputs(InteropFixtures.Expected, InteropFixtures.Run(exported));
    }

    [Fact]
    public void Export_refuses_a_format_that_contradicts_the_extension()
    {
        Assert.Equal(ExitCodes.Success, Run("import", "--from", InteropFixtures.PyTorchPt, "--output", PathOf("m.model")));

        int code = Run("export", "--model", PathOf("m.model"), "--output", PathOf("w.safetensors"), "--format", "pt");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--format pt does not match the extension", _error.ToString());
        Assert.False(File.Exists(PathOf("w.safetensors")));
    }

    [Theory]
    [InlineData("m.onnx", new string[0], "normalized")]
    [InlineData("graph", new[] { "--format", "onnx" }, "normalized")]
    [InlineData("m.ONNX", new[] { "--onnx-input", "raw" }, "raw")]
    [InlineData("m.onnx", new[] { "--format", "onnx", "--onnx-input", "normalized" }, "normalized")]
    public void Export_writes_an_onnx_graph_when_asked_or_by_the_extension(string name, string[] options, string input)
    {
        Assert.Equal(ExitCodes.Success, Run("import", "--from", InteropFixtures.PyTorchSafetensors, "--output", PathOf("m.model")));

        Assert.Equal(ExitCodes.Success, Run(["export", "-m", PathOf("m.model"), "-o", PathOf(name), .. options]));

        Assert.Contains($"to {PathOf(name)} as onnx", _out.ToString());
        Assert.Contains(input == "raw" ? "pixel values 0-255" : "normalized as (x/255-0.5)/0.5", _out.ToString());
        var model = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(PathOf(name)));
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(input, metadata["input"]);
        Assert.Equal("none: imported from a PyTorch state_dict", metadata["training"]);
        Assert.Equal(input == "raw" ? "Div" : "Gemm", model.Graph.Node[0].OpType);
    }

    [Theory]
    [InlineData("w.safetensors", "--onnx-input", "raw", "--onnx-input applies to --format onnx only (this export is safetensors).")]
    [InlineData("w.pt", "--format", "onnx", "--format onnx does not match the extension")]
    [InlineData("w.onnx", "--onnx-input", "bytes", "'bytes' not recognized. Must be one of: 'normalized' 'raw'")]
    public void Export_refuses_onnx_options_that_do_not_fit_on_one_line(string name, string option, string value, string message)
    {
        Assert.Equal(ExitCodes.Success, Run("import", "--from", InteropFixtures.PyTorchPt, "--output", PathOf("m.model")));

        CliRun.Of("export", "--model", PathOf("m.model"), "--output", PathOf(name), option, value)
            .AssertOneClearError(ExitCodes.UsageError, message);
        Assert.False(File.Exists(PathOf(name)));
    }

    [Fact]
    public void Export_to_onnx_where_nothing_can_be_written_is_one_line_and_keeps_what_is_there()
    {
        Assert.Equal(ExitCodes.Success, Run("import", "--from", InteropFixtures.PyTorchPt, "--output", PathOf("m.model")));
        Directory.CreateDirectory(PathOf("a-folder.onnx"));
        File.WriteAllText(PathOf("a-file"), "kept");

        CliRun.Of("export", "--model", PathOf("m.model"), "--output", PathOf("a-folder.onnx"))
            .AssertOneClearError(ExitCodes.UsageError, $"--output {PathOf("a-folder.onnx")} is a folder: give a file name");
        CliRun.Of("export", "--model", PathOf("m.model"), "--output", Path.Combine(PathOf("a-file"), "m.onnx"))
            .AssertOneClearError(ExitCodes.UsageError, $"{PathOf("a-file")} is a regular file, not a folder");
        Assert.Equal("kept", File.ReadAllText(PathOf("a-file")));
        Assert.Empty(Directory.GetFiles(PathOf("a-folder.onnx")));
    }

    [Fact]
    public void Export_of_a_missing_model_is_a_data_error()
    {
        Assert.Equal(ExitCodes.DataError, Run("export", "--model", PathOf("none.model"), "--output", PathOf("w.pt")));
        Assert.Contains("model file not found", _error.ToString());
    }
}
