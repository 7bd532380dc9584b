namespace MnistTrainer.Tests;

/// <summary>A fresh folder, deleted with everything in it on dispose.</summary>
/// <param name="inMemory">
/// In /dev/shm where there is one, for tests that write thousands of small files (fuzzing); otherwise
/// under the system temp folder.
/// </param>
public sealed class TempFolder(bool inMemory = false) : IDisposable
{
    public string Path { get; } = inMemory && Directory.Exists("/dev/shm")
        ? Directory.CreateDirectory(System.IO.Path.Combine("/dev/shm", "mnist-trainer-tests-" + Guid.NewGuid().ToString("N"))).FullName
        : Directory.CreateTempSubdirectory("mnist-trainer-tests-").FullName;

    /// <summary>A path inside the folder; nothing is created.</summary>
    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
