namespace MnistTrainer.Tests.Robustness;

/// <summary>A scratch folder for fuzz cases: in memory (/dev/shm) where there is one, as thousands of small files are written.</summary>
public static class FuzzFolder
{
    public static string Create(string prefix)
    {
        if (Directory.Exists("/dev/shm"))
        {
            var path = Path.Combine("/dev/shm", prefix + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            return path;
        }
        return Directory.CreateTempSubdirectory(prefix).FullName;
    }
}
