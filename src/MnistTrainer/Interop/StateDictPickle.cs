using System.Buffers.Binary;
using System.Text;

namespace MnistTrainer.Interop;

/// <summary>
/// Writes the data.pkl of a torch.save'd state_dict with the opcodes torch.save itself uses (pickle protocol 2):
/// an OrderedDict of name → torch._utils._rebuild_tensor_v2(storage, 0, shape, stride, False, OrderedDict()),
/// each storage a persistent id ("storage", torch.FloatStorage, "i", "cpu", element count) for the archive's data/i.
/// </summary>
public static class StateDictPickle
{
    public static byte[] Write(IReadOnlyList<NamedTensor> tensors)
    {
        var pickle = new MemoryStream();
        pickle.Write([0x80, 2]);                                        // PROTO 2
        EmptyOrderedDict(pickle);
        pickle.WriteByte((byte)'(');                                    // MARK
        for (int i = 0; i < tensors.Count; i++)
        {
            var tensor = tensors[i];
            if (tensor.DType != NamedTensor.Float32) throw new ArgumentException($"{tensor.Name} is {tensor.DType}; only float32 is written");
            String(pickle, tensor.Name);
            Global(pickle, "torch._utils", "_rebuild_tensor_v2");
            pickle.WriteByte((byte)'(');                                // MARK: the arguments
            pickle.WriteByte((byte)'(');                                // MARK: the persistent id
            String(pickle, "storage");
            Global(pickle, "torch", "FloatStorage");
            String(pickle, i.ToString());
            String(pickle, "cpu");
            Int(pickle, tensor.Shape.Aggregate(1L, (product, d) => product * d));
            pickle.WriteByte((byte)'t');                                // TUPLE
            pickle.WriteByte((byte)'Q');                                // BINPERSID
            Int(pickle, 0);                                             // storage offset
            Tuple(pickle, tensor.Shape);
            Tuple(pickle, ContiguousStride(tensor.Shape));
            pickle.WriteByte(0x89);                                     // NEWFALSE: requires_grad
            EmptyOrderedDict(pickle);                                   // backward hooks
            pickle.WriteByte((byte)'t');                                // TUPLE
            pickle.WriteByte((byte)'R');                                // REDUCE
        }
        pickle.WriteByte((byte)'u');                                    // SETITEMS
        pickle.WriteByte((byte)'.');                                    // STOP
        return pickle.ToArray();
    }

    static long[] ContiguousStride(long[] shape)
    {
        var stride = new long[shape.Length];
        long step = 1;
        for (int k = shape.Length - 1; k >= 0; k--)
        {
            stride[k] = step;
            step *= shape[k];
        }
        return stride;
    }

    static void EmptyOrderedDict(Stream pickle)
    {
        Global(pickle, "collections", "OrderedDict");
        pickle.WriteByte((byte)')');                                    // EMPTY_TUPLE
        pickle.WriteByte((byte)'R');                                    // REDUCE
    }

    static void Global(Stream pickle, string module, string name)
    {
        pickle.WriteByte((byte)'c');                                    // GLOBAL
        pickle.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    static void String(Stream pickle, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        pickle.WriteByte((byte)'X');                                    // BINUNICODE
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        pickle.Write(length);
        pickle.Write(bytes);
    }

    static void Int(Stream pickle, long value)
    {
        pickle.WriteByte((byte)'J');                                    // BININT: 4-byte signed
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, checked((int)value));
        pickle.Write(bytes);
    }

    static void Tuple(Stream pickle, long[] values)
    {
        pickle.WriteByte((byte)'(');                                    // MARK
        foreach (long value in values) Int(pickle, value);
        pickle.WriteByte((byte)'t');                                    // TUPLE
    }
}
