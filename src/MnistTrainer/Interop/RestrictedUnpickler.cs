using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace MnistTrainer.Interop;

/// <summary>A global a pickle names, such as collections.OrderedDict.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>A tensor storage kept beside the pickle, in the archive's data/ folder (torch.save's persistent id).</summary>
public sealed record StorageReference(string StorageType, string Key, long ElementCount);

/// <summary>What torch._utils._rebuild_tensor_v2 would make: a view with this offset, shape and stride of a storage.</summary>
public sealed record TensorReference(StorageReference Storage, long Offset, long[] Shape, long[] Stride);

/// <summary>
/// Reads the pickle (data.pkl) of a state_dict saved with torch.save, without running anything from it.
/// Python's pickle calls whatever function the file names (os.system, builtins.eval, …). This reader knows only
/// the opcodes a state_dict uses and accepts only the globals it uses — collections.OrderedDict,
/// torch._utils._rebuild_tensor_v2 and torch's storage types — and refuses any other as soon as it is named.
/// A state_dict comes back as an ordered dictionary of name → <see cref="TensorReference"/>.
/// Problems are thrown as <see cref="InvalidDataException"/>.
/// </summary>
public sealed class RestrictedUnpickler
{
    static readonly PickleGlobal OrderedDict = new("collections", "OrderedDict");
    static readonly PickleGlobal RebuildTensor = new("torch._utils", "_rebuild_tensor_v2");

    readonly byte[] _pickle;
    int _position;
    readonly List<object?> _stack = [];
    readonly Stack<int> _marks = new();
    readonly Dictionary<long, object?> _memo = [];

    RestrictedUnpickler(byte[] pickle) => _pickle = pickle;

    public static object? Load(byte[] pickle) => new RestrictedUnpickler(pickle).Run();

    object? Run()
    {
        while (true)
        {
            int at = _position;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    int protocol = ReadByte();
                    if (protocol is < 2 or > 5) throw Problem($"pickle protocol {protocol} is not one torch.save writes");
                    break;
                case 0x95: Read(8); break;                                          // FRAME: only a length hint
                case (byte)'.': return Pop();                                       // STOP
                case (byte)'c': Push(Global(ReadLine(), ReadLine())); break;        // GLOBAL
                case 0x93: { var name = PopString(); Push(Global(PopString(), name)); break; } // STACK_GLOBAL
                case (byte)'N': Push(null); break;                                  // NONE
                case 0x88: Push(true); break;                                       // NEWTRUE
                case 0x89: Push(false); break;                                      // NEWFALSE
                case (byte)'K': Push((long)ReadByte()); break;                      // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Read(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Read(4))); break;  // BININT
                case 0x8a: Push(ReadLong1()); break;                                // LONG1
                case (byte)'X': Push(ReadString((int)ReadUInt32())); break;        // BINUNICODE (2 GB or more: negative, cut short)
                case 0x8c: Push(ReadString(ReadByte())); break;                     // SHORT_BINUNICODE
                case (byte)'(': _marks.Push(_stack.Count); break;                   // MARK
                case (byte)')': Push(Array.Empty<object?>()); break;                // EMPTY_TUPLE
                case (byte)'t': Push(PopToMark()); break;                           // TUPLE
                case 0x85: Push(PopMany(1)); break;                                 // TUPLE1
                case 0x86: Push(PopMany(2)); break;                                 // TUPLE2
                case 0x87: Push(PopMany(3)); break;                                 // TUPLE3
                case (byte)'}': Push(new OrderedDictionary<object, object?>()); break; // EMPTY_DICT
                case (byte)'s': { var value = Pop(); var key = Pop(); SetItem(Peek(), key, value); break; } // SETITEM
                case (byte)'u':                                                     // SETITEMS
                {
                    var items = PopToMark();
                    if (items.Length % 2 != 0) throw Problem("pickle is damaged (SETITEMS with an odd number of items)");
                    for (int i = 0; i < items.Length; i += 2) SetItem(Peek(), items[i], items[i + 1]);
                    break;
                }
                case (byte)'q': _memo[ReadByte()] = Peek(); break;                  // BINPUT
                case (byte)'r': _memo[ReadUInt32()] = Peek(); break;                // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break;                      // MEMOIZE
                case (byte)'h': Push(Recall(ReadByte())); break;                    // BINGET
                case (byte)'j': Push(Recall(ReadUInt32())); break;                  // LONG_BINGET
                case (byte)'Q': Push(PersistentLoad(Pop())); break;                 // BINPERSID
                case (byte)'R': { var args = Pop(); Push(Reduce(Pop(), args)); break; } // REDUCE
                case (byte)'b': { var state = Pop(); Build(Peek(), state); break; } // BUILD
                default:
                    throw Problem($"refused: the pickle uses opcode 0x{op:x2} (at byte {at}), which a state_dict never does");
            }
        }
    }

    /// <summary>The allow-list: anything a state_dict does not name is refused here, before it can be called.</summary>
    static PickleGlobal Global(string module, string name)
    {
        var global = new PickleGlobal(module, name);
        if (global == OrderedDict || global == RebuildTensor) return global;
        if (module == "torch" && IsStorageType(name)) return global;
        if (module.StartsWith("torch.nn.", StringComparison.Ordinal) || name == "_rebuild_parameter")
            throw Problem($"holds a whole pickled model ({global}), not a state_dict; save it in PyTorch with torch.save(model.state_dict(), PATH)");
        throw Problem($"refused: the pickle calls {global}, which a state_dict never does (in Python, loading this file could run code). " +
            "Only state_dicts saved with torch.save(model.state_dict(), PATH) are accepted");
    }

    static bool IsStorageType(string name) => NamedTensor.DTypes.Any(d => d.Storage == name);

    static object Reduce(object? callable, object? args)
    {
        if (OrderedDict.Equals(callable) && args is object?[] { Length: 0 })
            return new OrderedDictionary<object, object?>();
        if (RebuildTensor.Equals(callable) && args is object?[] { Length: 6 or 7 } a
            && a[0] is StorageReference storage && a[1] is long offset && a[2] is object?[] shape && a[3] is object?[] stride
            && a[4] is bool && a[5] is OrderedDictionary<object, object?> { Count: 0 } && shape.Length == stride.Length
            && shape.All(d => d is long and >= 0) && stride.All(d => d is long and >= 0))
            return new TensorReference(storage, offset, shape.Cast<long>().ToArray(), stride.Cast<long>().ToArray());
        throw Problem($"refused: the pickle calls {callable ?? "None"} with arguments a state_dict never uses");
    }

    /// <summary>torch.save's persistent id of a storage: ("storage", torch.FloatStorage, key, location, element count).</summary>
    static StorageReference PersistentLoad(object? id)
    {
        if (id is object?[] { Length: 5 } t && t[0] is "storage" && t[1] is PickleGlobal { Module: "torch" } type
            && IsStorageType(type.Name) && t[2] is string key && t[3] is string && t[4] is long count and >= 0)
            return new StorageReference(type.Name, key, count);
        throw Problem("refused: the pickle asks for an external object that is not a torch storage");
    }

    /// <summary>BUILD on an OrderedDict sets attributes (torch.save keeps the state_dict's _metadata there); they are not needed.</summary>
    static void Build(object? target, object? state)
    {
        if (target is OrderedDictionary<object, object?> && state is OrderedDictionary<object, object?>) return;
        throw Problem("refused: the pickle sets the state of an object a state_dict never holds");
    }

    static void SetItem(object? target, object? key, object? value)
    {
        if (target is not OrderedDictionary<object, object?> dictionary || key is not (string or long))
            throw Problem("pickle is damaged (an item is set on something that is not a dictionary)");
        dictionary[key] = value;
    }

    void Push(object? value) => _stack.Add(value);

    object? Peek() => _stack.Count > 0 ? _stack[^1] : throw Problem("pickle is damaged (stack underflow)");

    object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    string PopString() => Pop() as string ?? throw Problem("pickle is damaged (a global's name is not a string)");

    object?[] PopMany(int count)
    {
        if (_stack.Count < count) throw Problem("pickle is damaged (stack underflow)");
        var items = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return items;
    }

    object?[] PopToMark()
    {
        if (_marks.Count == 0) throw Problem("pickle is damaged (no MARK)");
        int mark = _marks.Pop();
        if (mark > _stack.Count) throw Problem("pickle is damaged (MARK past the stack)");
        return PopMany(_stack.Count - mark);
    }

    object? Recall(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Problem($"pickle is damaged (memo {index} was never stored)");

    byte ReadByte() => Read(1)[0];

    uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Read(4));

    ReadOnlySpan<byte> Read(int count)
    {
        if (count < 0 || count > _pickle.Length - _position) throw Problem("pickle is cut short");
        var span = _pickle.AsSpan(_position, count);
        _position += count;
        return span;
    }

    string ReadString(int length)
    {
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Read(length)); }
        catch (DecoderFallbackException) { throw Problem("pickle is damaged (a string is not UTF-8)"); }
    }

    string ReadLine()
    {
        int end = Array.IndexOf(_pickle, (byte)'\n', _position);
        if (end < 0) throw Problem("pickle is cut short");
        return Encoding.ASCII.GetString(Read(end - _position + 1)[..^1]);
    }

    long ReadLong1()
    {
        int length = ReadByte();
        if (length > 8) throw Problem("refused: the pickle holds an integer larger than a state_dict uses");
        return (long)new BigInteger(Read(length)); // little-endian two's complement, as LONG1 stores it
    }

    static InvalidDataException Problem(string message) => new(message);
}
