using System.IO.Compression;
using System.Runtime.InteropServices;
using MnistTrainer.Interop;

namespace MnistTrainer.Tests.Interop;

public class TorchSaveFormatTests
{
    static float[] Floats(NamedTensor tensor) => MemoryMarshal.Cast<byte, float>(tensor.Bytes).ToArray();

    [Fact]
    public void Writes_a_zip_laid_out_as_torch_save_lays_it_out()
    {
        var tensors = new[] { new NamedTensor("0.weight", NamedTensor.Float32, [2, 2], new byte[16]), new NamedTensor("0.bias", NamedTensor.Float32, [2], new byte[8]) };
        var file = new MemoryStream();

        TorchSaveFormat.Write(file, tensors);

        using var zip = new ZipArchive(new MemoryStream(file.ToArray()));
        Assert.Equal(new[] { "archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/data/1", "archive/version" }, zip.Entries.Select(e => e.FullName));
        Assert.Equal(new long[] { 16, 8 }, new[] { zip.GetEntry("archive/data/0")!.Length, zip.GetEntry("archive/data/1")!.Length });
    }

    [Fact]
    public void Reads_back_what_it_writes()
    {
        var values = new float[] { 1.5f, -2, 3.25f, float.MaxValue, float.Epsilon, 0 };
        var tensors = new[] { new NamedTensor("w", NamedTensor.Float32, [2, 3], MemoryMarshal.AsBytes(values.AsSpan()).ToArray()) };
        var file = new MemoryStream();
        TorchSaveFormat.Write(file, tensors);

        var read = Assert.Single(TorchSaveFormat.Read(file.ToArray()));

        Assert.Equal(("w", NamedTensor.Float32), (read.Name, read.DType));
        Assert.Equal(new long[] { 2, 3 }, read.Shape);
        Assert.Equal(values, Floats(read));
    }

    [Fact]
    public void Reads_a_non_contiguous_view_and_a_storage_offset_in_row_major_order()
    {
        // Storage 0..5; "t" is its [2, 3] view transposed to [3, 2] (stride 1, 3); "tail" shares the storage from element 4.
        var pickle = new PickleBytes().EmptyOrderedDict().Op('(')
            .Tensor("t", "0", 6, 0, [3, 2], [1, 3])
            .Tensor("tail", "0", 6, 4, [2], [1])
            .Op('u').Stop();

        var read = TorchSaveFormat.Read(PickleBytes.TorchSaveZip(pickle, ("0", [0, 1, 2, 3, 4, 5])));

        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, Floats(read[0]));
        Assert.Equal(new float[] { 4, 5 }, Floats(read[1]));
    }

    [Fact]
    public void Names_the_dtype_of_a_storage_that_is_not_float32()
    {
        var pickle = new PickleBytes().EmptyOrderedDict().Op('(').Tensor("w", "0", 1, 0, [1], [1], "DoubleStorage").Op('u').Stop();

        var read = Assert.Single(TorchSaveFormat.Read(PickleBytes.TorchSaveZip(pickle, ("0", [0, 0]))));

        Assert.Equal("float64", read.DType);
    }

    [Fact]
    public void Refuses_a_view_that_reaches_past_its_storage()
    {
        var pickle = new PickleBytes().EmptyOrderedDict().Op('(').Tensor("w", "0", 4, 2, [2, 2], [2, 1]).Op('u').Stop();

        var error = Assert.Throws<InvalidDataException>(() => TorchSaveFormat.Read(PickleBytes.TorchSaveZip(pickle, ("0", [0, 1, 2, 3]))));

        Assert.Contains("reaches past the end of its storage", error.Message);
    }

    [Fact]
    public void Refuses_a_storage_whose_size_is_not_the_one_the_pickle_gives()
    {
        var pickle = new PickleBytes().EmptyOrderedDict().Op('(').Tensor("w", "0", 4, 0, [4], [1]).Op('u').Stop();

        var error = Assert.Throws<InvalidDataException>(() => TorchSaveFormat.Read(PickleBytes.TorchSaveZip(pickle, ("0", [0, 1, 2]))));

        Assert.Contains("has 12 bytes, expected 16", error.Message);
    }

    [Fact]
    public void Refuses_a_missing_storage()
    {
        var pickle = new PickleBytes().EmptyOrderedDict().Op('(').Tensor("w", "7", 1, 0, [1], [1]).Op('u').Stop();

        var error = Assert.Throws<InvalidDataException>(() => TorchSaveFormat.Read(PickleBytes.TorchSaveZip(pickle)));

        Assert.Contains("missing the tensor data archive/data/7", error.Message);
    }

    [Fact]
    public void Refuses_a_pickle_that_is_not_a_dictionary_of_tensors()
    {
        var notADict = PickleBytes.TorchSaveZip(new PickleBytes().String("hello").Stop());
        var notTensors = PickleBytes.TorchSaveZip(new PickleBytes().EmptyOrderedDict().String("w").Int(3).Op('s').Stop());

        Assert.Contains("not a state_dict", Assert.Throws<InvalidDataException>(() => TorchSaveFormat.Read(notADict)).Message);
        Assert.Contains("\"w\" is not a tensor", Assert.Throws<InvalidDataException>(() => TorchSaveFormat.Read(notTensors)).Message);
    }

    [Fact]
    public void Refuses_a_zip_without_data_pkl_and_a_damaged_zip()
    {
        var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true)) zip.CreateEntry("hello.txt");
        var damaged = File.ReadAllBytes(InteropFixtures.PyTorchPt)[..1000];

        Assert.Contains("no ARCHIVE/data.pkl", Assert.Throws<InvalidDataException>(() => TorchSaveFormat.Read(file.ToArray())).Message);
        Assert.Contains("damaged zip", Assert.Throws<InvalidDataException>(() => TorchSaveFormat.Read(damaged)).Message);
    }
}
