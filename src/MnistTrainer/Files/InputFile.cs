namespace MnistTrainer.Files;

/// <summary>
/// Opens the files a command reads (data, models, checkpoints, images, weights). Only regular files are
/// opened: a named pipe, device or socket would block or never end, so it is refused at once.
/// </summary>
public static class InputFile
{
    /// <param name="noun">What the file should be, as messages name it: "data file", "model file", "checkpoint", ….</param>
    public static FileStream Open(string path, string noun, int bufferSize = 4096)
    {
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Directory) throw new FileProblemException(path, $"is a directory, not {("aeiou".Contains(noun[0]) ? "an" : "a")} {noun}");
        if (kind is not (FileKind.RegularFile or FileKind.Missing))
            throw new FileProblemException(path, $"is {FileKinds.Describe(kind)}, not a regular file: give the {noun} itself");
        return FileFailure.Reading(path, noun, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize));
    }

    /// <summary>The whole file, refused without reading it when it is longer than <paramref name="maxBytes"/> (<paramref name="tooLarge"/> says why that is too much).</summary>
    public static byte[] ReadAll(string path, string noun, long maxBytes, string tooLarge)
    {
        using var file = Open(path, noun);
        return FileFailure.Reading(path, noun, () =>
        {
            long length = file.Length;
            if (length > maxBytes) throw new FileProblemException(path, $"is {length:N0} bytes, {tooLarge}");
            var bytes = new byte[length];
            file.ReadExactly(bytes);
            return bytes;
        });
    }
}
