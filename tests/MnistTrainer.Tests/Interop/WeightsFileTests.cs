using System.Buffers.Binary;
using System.Text;
using MnistTrainer.Interop;
using MnistTrainer.Files;

namespace MnistTrainer.Tests.Interop;

public sealed class WeightsFileTests : IDisposable
{
    readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string PathOf(string name) => _folder[name];

    [Theory]
    [InlineData("lesson_state_dict.pt")]
    [InlineData("lesson_state_dict.safetensors")]
    public void A_state_dict_saved_by_PyTorch_gives_the_log_probabilities_PyTorch_computed(string file)
    {
        using var network = WeightsFile.Load(Path.Combine(InteropFixtures.Folder, file));

        InteropFixtures.AssertSameOutputs(InteropFixtures.Expected, InteropFixtures.Run(network));
    }

    [Theory]
    [InlineData(WeightsFormat.Safetensors)]
    [InlineData(WeightsFormat.Pt)]
    public void Saved_weights_load_back_unchanged(WeightsFormat format)
    {
        using var network = WeightsFile.Load(InteropFixtures.PyTorchPt);

        WeightsFile.Save(PathOf("weights"), network, format);
        using var loaded = WeightsFile.Load(PathOf("weights"));

        Assert.Equal(StateDict.Read(network).Select(t => t.Bytes), StateDict.Read(loaded).Select(t => t.Bytes));
    }

    [Theory]
    [InlineData(WeightsFormat.Safetensors)]
    [InlineData(WeightsFormat.Pt)]
    public void The_same_weights_give_the_same_file(WeightsFormat format)
    {
        using var network = WeightsFile.Load(InteropFixtures.PyTorchSafetensors);

        WeightsFile.Save(PathOf("a"), network, format);
        WeightsFile.Save(PathOf("b"), network, format);

        Assert.Equal(File.ReadAllBytes(PathOf("a")), File.ReadAllBytes(PathOf("b")));
    }

    [Fact]
    public void Refuses_a_state_dict_of_another_shape()
    {
        using var network = WeightsFile.Load(InteropFixtures.PyTorchPt);
        var tensors = StateDict.Read(network).ToList();
        tensors[0] = tensors[0] with { Shape = [64, 1568] };
        using (var file = File.Create(PathOf("wide.pt"))) TorchSaveFormat.Write(file, tensors);

        var error = Assert.Throws<InteropException>(() => WeightsFile.Load(PathOf("wide.pt")));

        Assert.Contains("wide.pt: not the state_dict of the lesson's network", error.Message);
        Assert.Contains("\"0.weight\" has shape [64, 1568], expected [128, 784]", error.Message);
    }

    [Fact]
    public void Refuses_a_state_dict_with_other_names()
    {
        using var network = WeightsFile.Load(InteropFixtures.PyTorchPt);
        var tensors = StateDict.Read(network).Select(t => t with { Name = "model." + t.Name }).ToList();
        using (var file = File.Create(PathOf("prefixed.safetensors"))) SafetensorsFormat.Write(file, tensors);

        var error = Assert.Throws<InteropException>(() => WeightsFile.Load(PathOf("prefixed.safetensors")));

        Assert.Contains("\"0.weight\" is missing", error.Message);
        Assert.Contains("unexpected tensors \"model.0.weight\"", error.Message);
    }

    [Fact]
    public void Refuses_float64_weights()
    {
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, shape) in StateDict.Expected)
        {
            long bytes = 8 * shape.Aggregate(1L, (p, d) => p * d);
            header.Append($"\"{name}\":{{\"dtype\":\"F64\",\"shape\":[{string.Join(",", shape)}],\"data_offsets\":[{offset},{offset + bytes}]}},");
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToString().TrimEnd(',') + "}");
        var file = new byte[8 + json.Length + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        File.WriteAllBytes(PathOf("double.safetensors"), file);

        var error = Assert.Throws<InteropException>(() => WeightsFile.Load(PathOf("double.safetensors")));

        Assert.Contains("\"0.weight\" is float64, expected float32", error.Message);
    }

    [Fact]
    public void Refuses_a_malicious_pickle_naming_the_file_and_what_it_calls()
    {
        var error = Assert.Throws<InteropException>(() => WeightsFile.Load(InteropFixtures.MaliciousPt));

        Assert.StartsWith($"{InteropFixtures.MaliciousPt}: refused: the pickle calls posix.system", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc }, "legacy format")]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, "neither a torch.save state_dict (.pt) nor a safetensors file")]
    [InlineData(new byte[0], "neither a torch.save state_dict (.pt) nor a safetensors file")]
    public void Refuses_files_of_another_kind(byte[] content, string problem)
    {
        File.WriteAllBytes(PathOf("other.pt"), content);

        var error = Assert.Throws<InteropException>(() => WeightsFile.Load(PathOf("other.pt")));

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Reports_a_missing_file_and_a_directory()
    {
        Assert.Equal($"{PathOf("none.pt")}: weights file not found", Assert.Throws<MissingFileException>(() => WeightsFile.Load(PathOf("none.pt"))).Message);
        Assert.Equal($"{_folder.Path}: is a directory, not a weights file", Assert.Throws<FileProblemException>(() => WeightsFile.Load(_folder.Path)).Message);
    }

    [Fact]
    public void Reports_a_file_it_cannot_write()
    {
        using var network = WeightsFile.Load(InteropFixtures.PyTorchPt);
        File.WriteAllText(PathOf("file"), "not a folder");

        var error = Assert.Throws<FileProblemException>(() => WeightsFile.Save(PathOf("file/w.pt"), network, WeightsFormat.Pt));

        Assert.StartsWith($"{PathOf("file/w.pt")}: cannot be written", error.Message);
    }
}
