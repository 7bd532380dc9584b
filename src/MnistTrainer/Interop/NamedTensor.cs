namespace MnistTrainer.Interop;

/// <summary>
/// One entry of a state_dict as a weights file holds it: its name ("0.weight"), its dtype in PyTorch's words
/// ("float32"), its shape, and its values as little-endian bytes in row-major order.
/// </summary>
public sealed record NamedTensor(string Name, string DType, long[] Shape, byte[] Bytes)
{
    public const string Float32 = "float32";

    public string ShapeText => $"[{string.Join(", ", Shape)}]";
}
