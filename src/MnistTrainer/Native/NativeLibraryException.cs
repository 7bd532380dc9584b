namespace MnistTrainer.Native;

/// <summary>TorchSharp's native library could not be loaded; the message is one paragraph saying why and what to do.</summary>
public sealed class NativeLibraryException(string message, Exception inner) : Exception(message, inner);
