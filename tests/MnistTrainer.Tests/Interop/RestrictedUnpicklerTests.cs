using System.IO.Compression;
using MnistTrainer.Interop;

namespace MnistTrainer.Tests.Interop;

public class RestrictedUnpicklerTests
{
    static byte[] DataPkl(string zipPath)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        using var stream = zip.Entries.Single(e => e.Name == "data.pkl").Open();
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    [Fact]
    public void Reads_the_state_dict_pickle_PyTorch_wrote_as_tensor_references()
    {
        var root = RestrictedUnpickler.Load(DataPkl(InteropFixtures.PyTorchPt));

        var stateDict = Assert.IsType<OrderedDictionary<object, object?>>(root);
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias" }, stateDict.Keys.Cast<string>());
        var weight = Assert.IsType<TensorReference>(stateDict["0.weight"]);
        Assert.Equal(new StorageReference("FloatStorage", "0", 128 * 784), weight.Storage);
        Assert.Equal(0, weight.Offset);
        Assert.Equal(new long[] { 128, 784 }, weight.Shape);
        Assert.Equal(new long[] { 784, 1 }, weight.Stride);
    }

    [Fact]
    public void Refuses_a_pickle_that_calls_os_system_and_runs_nothing()
    {
        File.Delete(InteropFixtures.MaliciousMarker);

        var error = Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(DataPkl(InteropFixtures.MaliciousPt)));

        Assert.Contains("refused: the pickle calls posix.system", error.Message);
        Assert.False(File.Exists(InteropFixtures.MaliciousMarker));
    }

    [Fact]
    public void Refuses_a_global_as_soon_as_it_is_named_even_if_never_called()
    {
        var pickle = new PickleBytes().Global("posix", "system").Stop();

        var error = Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(pickle));

        Assert.Contains("posix.system", error.Message);
    }

    [Fact]
    public void Refuses_builtins_eval_named_by_GLOBAL_before_REDUCE_could_call_it()
    {
        var pickle = new PickleBytes().Global("builtins", "eval").String("__import__('os').system('true')").Op(0x85).Op('R').Stop();

        var error = Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(pickle));

        Assert.Contains("builtins.eval", error.Message);
    }

    [Fact]
    public void Refuses_a_global_named_by_STACK_GLOBAL()
    {
        var pickle = new PickleBytes().String("builtins").String("exec").Op(0x93).String("print(1)").Op(0x85).Op('R').Stop();

        var error = Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(pickle));

        Assert.Contains("builtins.exec", error.Message);
    }

    [Fact]
    public void Refuses_a_global_even_when_called_with_no_arguments()
    {
        var pickle = new PickleBytes().Op('}').String("0.weight").Global("posix", "getpid").Op(')').Op('R').Op('s').Stop();

        var error = Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(pickle));

        Assert.Contains("posix.getpid", error.Message);
    }

    [Theory]
    [InlineData((byte)'i')] // INST: builds an object of any class
    [InlineData((byte)'o')] // OBJ
    [InlineData((byte)0x81)] // NEWOBJ
    [InlineData((byte)'P')] // PERSID (text form)
    public void Refuses_opcodes_a_state_dict_never_uses(byte opcode)
    {
        var pickle = new PickleBytes().Op(opcode).Stop();

        var error = Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(pickle));

        Assert.Contains($"opcode 0x{opcode:x2}", error.Message);
    }

    [Fact]
    public void Refuses_an_allowed_global_called_in_a_way_a_state_dict_never_does()
    {
        var pickle = new PickleBytes().Global("torch", "FloatStorage").String("x").Op(0x85).Op('R').Stop();

        var error = Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(pickle));

        Assert.Contains("torch.FloatStorage", error.Message);
    }

    [Fact]
    public void Refuses_a_whole_pickled_model_with_advice()
    {
        var error = Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(DataPkl(InteropFixtures.WholeModelPt)));

        Assert.Contains("whole pickled model (torch.nn.modules.container.Sequential)", error.Message);
        Assert.Contains("torch.save(model.state_dict(), PATH)", error.Message);
    }

    [Fact]
    public void Refuses_a_pickle_that_is_cut_short()
    {
        var pickle = new PickleBytes().String("0.weight").Stop();

        Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(pickle[..^4]));
    }

    [Theory]
    [InlineData(new byte[0], 0L)]
    [InlineData(new byte[] { 0xff }, -1L)]
    [InlineData(new byte[] { 0xff, 0x00 }, 255L)]
    [InlineData(new byte[] { 0x00, 0x80 }, -32768L)]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f }, long.MaxValue)]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80 }, long.MinValue)]
    public void Reads_LONG1_integers_as_little_endian_twos_complement(byte[] bytes, long expected)
    {
        var pickle = new PickleBytes().Op(0x8a).Op((byte)bytes.Length);
        foreach (byte b in bytes) pickle.Op(b);

        Assert.Equal(expected, RestrictedUnpickler.Load(pickle.Stop()));
    }

    [Fact]
    public void Refuses_a_string_length_of_2_GB_or_more_as_cut_short()
    {
        var pickle = new PickleBytes().Op('X').Op(0xff).Op(0xff).Op(0xff).Op(0xff).Stop();

        Assert.Contains("cut short", Assert.Throws<InvalidDataException>(() => RestrictedUnpickler.Load(pickle)).Message);
    }

    [Fact]
    public void Reads_what_the_state_dict_pickle_writer_writes()
    {
        var tensors = new[] { new NamedTensor("a", NamedTensor.Float32, [2, 3], new byte[24]), new NamedTensor("b", NamedTensor.Float32, [3], new byte[12]) };

        var stateDict = Assert.IsType<OrderedDictionary<object, object?>>(RestrictedUnpickler.Load(TorchSaveFormat.Pickle(tensors)));

        var b = Assert.IsType<TensorReference>(stateDict["b"]);
        Assert.Equal(new StorageReference("FloatStorage", "1", 3), b.Storage);
        Assert.Equal(new long[] { 3 }, b.Shape);
        Assert.Equal(new long[] { 3, 1 }, Assert.IsType<TensorReference>(stateDict["a"]).Stride);
    }
}
