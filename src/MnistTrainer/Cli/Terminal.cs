using System.Text;
using MnistTrainer.Files;

namespace MnistTrainer.Cli;

/// <summary>Where a command writes: normal output, errors, and whether the output is a live terminal (for progress bars).</summary>
public sealed record Terminal(TextWriter Out, TextWriter Error, bool IsInteractive)
{
    public static Terminal FromConsole() =>
        new(new DroppedWhenGone(Console.Out), new DroppedWhenGone(Console.Error), !Console.IsOutputRedirected);

    /// <summary>
    /// This terminal, or, when one of the command's outputs is standard output (<c>-o -</c>, <c>--plot /dev/stdout</c>),
    /// one that says everything on standard error: <c>train -o - &gt; m.model</c> must get the model alone.
    /// </summary>
    public Terminal AsideFrom(FilePlan plan) => plan.WritesStandardOutput ? this with { Out = Error } : this;

    /// <summary>
    /// Once the terminal is gone (closed with SIGHUP, a reader that quit) writing to it fails: what was to be said is
    /// dropped, so that the command still finishes what matters (train's checkpoint) instead of failing on a message.
    /// </summary>
    sealed class DroppedWhenGone(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;
        public override void Write(char value) => Try(() => inner.Write(value));
        public override void Write(string? value) => Try(() => inner.Write(value));
        public override void Write(char[] buffer, int index, int count) => Try(() => inner.Write(buffer, index, count));
        public override void WriteLine(string? value) => Try(() => inner.WriteLine(value));
        public override void Flush() => Try(inner.Flush);

        static void Try(Action write)
        {
            try { write(); }
            catch (IOException) { }
        }
    }
}
