using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MnistTrainer.Cli;
using MnistTrainer.Model;
using MnistTrainer.Training;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;
using MnistTrainer.Files;

namespace MnistTrainer.Tests.Robustness;

/// <summary>
/// Bad model files, given to <see cref="ModelFile.Load"/> and to the real <c>export</c> command (the
/// first command that loads models; predict and evaluate are on their way): each is refused with one
/// line naming the file, exit code 3, and the export's existing output left as it was.
/// </summary>
public sealed class BadModelFileTests : IDisposable
{
    readonly TempFolder temp = new();
    string folder => temp.Path;

    public void Dispose() => temp.Dispose();

    public static readonly IReadOnlyList<string> Digits = [.. Enumerable.Range(0, 10).Select(i => i.ToString())];

    /// <summary>The bytes of a real, valid model file.</summary>
    public static byte[] ValidModel(string folder, double loss = 0.5)
    {
        var path = Path.Combine(folder, $"valid-{Guid.NewGuid():N}.model");
        using (var network = Trainer.NewNetwork(3))
            ModelFile.Save(path, network, ModelMetadata.For("mnist", Digits,
                new TrainingSummary(1, 0.01, 64, 3, [loss], 0.9, DateTimeOffset.UnixEpoch)));
        var bytes = File.ReadAllBytes(path);
        File.Delete(path);
        return bytes;
    }

    string Write(byte[] bytes)
    {
        var path = Path.Combine(folder, "bad.model");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    void AssertRefused(string path, string problem)
    {
        var e = Assert.ThrowsAny<FileProblemException>(() => ModelFile.Load(path));
        Assert.Equal(path, e.FilePath);
        Assert.True(e.Message.StartsWith(path + ": ") && e.Message.Contains(problem), e.Message);
        Assert.DoesNotContain('\n', e.Message);

        foreach (var exported in new[] { Path.Combine(folder, "old.safetensors"), Path.Combine(folder, "old.onnx") })
        {
            File.WriteAllBytes(exported, OldExport);
            CliRun.Of(["export", "--model", path, "--output", exported]).AssertOneClearError(ExitCodes.DataError, path, problem);
            Assert.Equal(OldExport, File.ReadAllBytes(exported));
        }
    }

    static readonly byte[] OldExport = "an earlier export, which must survive"u8.ToArray();

    [Fact]
    public void Valid_model_loads()
    {
        using var model = ModelFile.Load(Write(ValidModel(folder)));
        Assert.Equal("mnist", model.Metadata.Dataset);
    }

    [Fact]
    public void Missing() => AssertRefused(Path.Combine(folder, "none.model"), "model file not found");

    [Fact]
    public void Directory_instead_of_a_file() => AssertRefused(folder, "is a directory");

    [Fact]
    public void Empty() => AssertRefused(Write([]), "file is empty");

    [Theory]
    [InlineData(4, "not a MnistTrainer model file")]
    [InlineData(20, "model header is damaged or the file is cut short")]
    [InlineData(-1000, "file is cut short")]
    [InlineData(-1, "file is cut short")]
    public void Truncated(int keep, string problem)
    {
        var bytes = ValidModel(folder);
        AssertRefused(Write(bytes[..(keep > 0 ? keep : bytes.Length + keep)]), problem);
    }

    [Fact]
    public void Random_bytes() => AssertRefused(Write(RandomBytes(5000, seed: 1)), "not a MnistTrainer model file");

    [Fact]
    public void A_bit_flipped_in_the_weights()
    {
        var bytes = ValidModel(folder);
        bytes[^100] ^= 0x10;
        AssertRefused(Write(bytes), "weights are damaged (their checksum does not match)");
    }

    [Fact]
    public void Extra_bytes_after_the_weights() => AssertRefused(Write([.. ValidModel(folder), 0]), "extra bytes after the weights");

    [Fact]
    public void Model_of_another_shape()
    {
        var path = Path.Combine(folder, "wide.model");
        using (var wide = MnistNetwork.DrawingFromTheGlobalGenerator(() => Sequential(("0", Linear(784, 256)), ("1", ReLU()), ("2", Linear(256, 10)), ("3", LogSoftmax(1)))))
            ModelFile.Save(path, wide, ModelMetadata.For("mnist", Digits, null) with { LayerSizes = [784, 256, 10] });
        AssertRefused(path, "model has layers 784-256-10, this program's network is 784-128-64-10");
    }

    [Fact]
    public void Metadata_that_does_not_match_the_weights()
    {
        // The header claims this program's network, but the weights are of a wider one.
        var path = Path.Combine(folder, "liar.model");
        using (var wide = MnistNetwork.DrawingFromTheGlobalGenerator(() => Sequential(("0", Linear(784, 256)), ("1", ReLU()), ("2", Linear(256, 64)), ("3", ReLU()), ("4", Linear(64, 10)), ("5", LogSoftmax(1)))))
            ModelFile.Save(path, wide, ModelMetadata.For("mnist", Digits, null));
        AssertRefused(path, "weights do not fit the network");
    }

    [Fact]
    public void Weights_with_a_layer_missing()
    {
        var path = Path.Combine(folder, "short.model");
        using (var shortNet = MnistNetwork.DrawingFromTheGlobalGenerator(() => Sequential(("0", Linear(784, 128)), ("1", ReLU()), ("2", Linear(128, 64)))))
            ModelFile.Save(path, shortNet, ModelMetadata.For("mnist", Digits, null));
        AssertRefused(path, "weights do not fit the network");
    }

    [Fact]
    public void Metadata_with_the_wrong_number_of_class_names()
    {
        var path = Path.Combine(folder, "classes.model");
        using (var network = Trainer.NewNetwork(1))
            ModelFile.Save(path, network, ModelMetadata.For("mnist", ["cat", "dog"], null));
        AssertRefused(path, "model names 2 classes for 10 outputs");
    }

    [Fact]
    public void Header_that_is_not_json() => AssertRefused(Write(WithHeader(ValidModel(folder), _ => "{not json")), "not valid JSON");

    [Fact]
    public void Header_without_metadata() =>
        AssertRefused(Write(WithHeader(ValidModel(folder), h => { var j = JsonNode.Parse(h)!; j.AsObject().Remove("Metadata"); return j.ToJsonString(); })), "model header is incomplete");

    [Fact]
    public void Header_of_a_future_format_version() =>
        AssertRefused(Write(WithHeader(ValidModel(folder), h => { var j = JsonNode.Parse(h)!; j["FormatVersion"] = 2; return j.ToJsonString(); })), "model format version 2 is not supported");

    [Fact]
    public void A_model_with_a_NaN_loss_saves_and_loads()
    {
        var path = Write(ValidModel(folder, loss: double.NaN));
        using var model = ModelFile.Load(path);
        Assert.True(double.IsNaN(model.Metadata.Training!.EpochLosses[0]));
        // and it exports, its metadata's loss null (JSON has no NaN)
        var onnx = Path.Combine(folder, "diverged.onnx");
        var export = CliRun.Of("export", "--model", path, "--output", onnx);
        Assert.True(export.ExitCode == 0, export.Error);
        var training = JsonNode.Parse(Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx)).MetadataProps.Single(p => p.Key == "training").Value)!;
        Assert.Null(training["epoch_losses"]![0]);
    }

    [Fact]
    public void A_checkpoint_given_as_a_model_is_refused()
    {
        var path = Path.Combine(folder, "run.ckpt");
        using (var network = Trainer.NewNetwork(1))
            CheckpointFile.Save(path, new Checkpoint("mnist", 640, new TrainingOptions(1, 0.01, 64, 1),
                RealState.Of(network, epoch: 1, batch: 0), network));
        AssertRefused(path, "not a MnistTrainer model file");
    }

    /// <summary>A model file with its JSON header replaced (the weights and their hash kept).</summary>
    /// <remarks>The header's checksum is dropped, as in a model written before headers had one: the change itself is then what is refused.</remarks>
    public static byte[] WithHeader(byte[] model, Func<string, string> change)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(model.AsSpan(8));
        var unsigned = System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(model, 12, length), ",\"HeaderSha256\":\"[0-9A-F]{64}\"}$", "}");
        var header = Encoding.UTF8.GetBytes(change(unsigned));
        var result = new byte[12 + header.Length + model.Length - 12 - length];
        model.AsSpan(0, 8).CopyTo(result);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(8), header.Length);
        header.CopyTo(result, 12);
        model.AsSpan(12 + length).CopyTo(result.AsSpan(12 + header.Length));
        return result;
    }

    static byte[] RandomBytes(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
