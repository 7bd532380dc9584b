namespace MnistTrainer.Interop;

/// <summary>The storage types torch.save names in a state_dict (torch.FloatStorage, …), with their dtype and element size.</summary>
public static class TorchStorageTypes
{
    public static readonly IReadOnlyDictionary<string, (string DType, int Size)> ByName = new Dictionary<string, (string, int)>
    {
        ["FloatStorage"] = (NamedTensor.Float32, 4), ["DoubleStorage"] = ("float64", 8), ["HalfStorage"] = ("float16", 2),
        ["BFloat16Storage"] = ("bfloat16", 2), ["LongStorage"] = ("int64", 8), ["IntStorage"] = ("int32", 4),
        ["ShortStorage"] = ("int16", 2), ["CharStorage"] = ("int8", 1), ["ByteStorage"] = ("uint8", 1), ["BoolStorage"] = ("bool", 1),
    };
}
