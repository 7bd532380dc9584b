namespace MnistTrainer.Files;

/// <summary>
/// An output that grows while a command runs, such as the metrics file's rows. A stream (a pipe, <c>/dev/stdout</c>)
/// gets each piece as it comes. A regular file is replaced through <see cref="OutputFile"/> by everything so far
/// after each piece: it always holds whole rows, and the file of an earlier run stays as it was until the first
/// piece replaces it, never emptied by a run that then dies.
/// </summary>
public sealed class GrowingOutputFile(string path) : IDisposable
{
    readonly MemoryStream content = new();
    Stream? stream;
    bool opened;

    public void Append(ReadOnlySpan<byte> piece)
    {
        var bytes = piece.ToArray();
        FileFailure.Writing(path, () =>
        {
            if (!opened)
            {
                stream = OutputFile.OpenStream(path);
                opened = true;
            }
            if (stream != null)
            {
                stream.Write(bytes);
                stream.Flush();
            }
        });
        if (stream != null) return;
        content.Write(bytes);
        OutputFile.Write(path, file => file.Write(content.GetBuffer(), 0, (int)content.Length));
    }

    public void Dispose() => stream?.Dispose();
}
