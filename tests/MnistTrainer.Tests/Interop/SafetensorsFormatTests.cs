using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using MnistTrainer.Interop;

namespace MnistTrainer.Tests.Interop;

public class SafetensorsFormatTests
{
    /// <summary>A safetensors file with this header JSON and data.</summary>
    static byte[] File(string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        data.CopyTo(file, 8 + json.Length);
        return file;
    }

    [Fact]
    public void Reads_back_what_it_writes_with_the_data_8_byte_aligned()
    {
        var values = new float[] { 1, -2.5f, 3, 4, 5, 6 };
        var tensors = new[]
        {
            new NamedTensor("0.weight", NamedTensor.Float32, [2, 2], MemoryMarshal.AsBytes(values.AsSpan(0, 4)).ToArray()),
            new NamedTensor("0.bias", NamedTensor.Float32, [2], MemoryMarshal.AsBytes(values.AsSpan(4)).ToArray()),
        };
        var file = new MemoryStream();

        SafetensorsFormat.Write(file, tensors);
        var read = SafetensorsFormat.Read(file.ToArray());

        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(file.ToArray()) % 8);
        Assert.Equal(new[] { "0.weight", "0.bias" }, read.Select(t => t.Name));
        Assert.Equal(new long[] { 2, 2 }, read[0].Shape);
        Assert.Equal(values, read.SelectMany(t => MemoryMarshal.Cast<byte, float>(t.Bytes).ToArray()));
    }

    [Fact]
    public void Names_the_dtype_of_a_tensor_that_is_not_float32()
    {
        var read = Assert.Single(SafetensorsFormat.Read(File("""{"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}""", new byte[8])));

        Assert.Equal("float64", read.DType);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}""", "the file is cut short")]
    [InlineData("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "does not fit shape [3]")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,0]}}""", "damaged shape or offsets")]
    [InlineData("""{"w":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}""", "unknown dtype Q7")]
    [InlineData("""{"w":{"shape":[2],"data_offsets":[0,8]}}""", "entry \"w\" is damaged")]
    [InlineData("""{"w":{"dtype":"F32","shape":"two","data_offsets":[0,8]}}""", "entry \"w\" is damaged")]
    [InlineData("""not json at all""", "not valid JSON")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    public void Refuses_a_damaged_header(string header, string problem)
    {
        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFormat.Read(File(header, new byte[8])));

        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Refuses_a_header_length_past_the_end_of_the_file()
    {
        var file = File("""{}""", []);
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1000);

        Assert.Contains("cut short", Assert.Throws<InvalidDataException>(() => SafetensorsFormat.Read(file)).Message);
        Assert.Contains("cut short", Assert.Throws<InvalidDataException>(() => SafetensorsFormat.Read([1, 2, 3])).Message);
    }
}
