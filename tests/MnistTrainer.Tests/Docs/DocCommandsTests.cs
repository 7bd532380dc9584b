using System.Text.RegularExpressions;
using MnistTrainer.Tests.Robustness;

namespace MnistTrainer.Tests.Docs;

/// <summary>
/// Every command the README and the docs show in a code block is run here, as written, page by page in order, so
/// that their words cannot go stale: `dotnet run --project src/MnistTrainer -- ARGS` runs the built program with
/// ARGS in a fresh folder that holds the tests' trained model as mnist.model (a reader has trained one first) and
/// sees the repository's data/ folder, with the committed real digits as MNIST. `serve` is started, answers, and
/// is stopped with SIGTERM. `dotnet test` and the lesson file (`dotnet run lesson/aula4.cs`) are run by .ci/run.
/// </summary>
public partial class DocCommandsTests
{
    const string Prefix = "dotnet run --project src/MnistTrainer -- ";

    public static TheoryData<string> Pages()
    {
        var root = TestData.RepoRoot();
        var pages = new TheoryData<string>();
        foreach (var page in new[] { "README.md", "README.pt-BR.md" }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Select(p => Path.GetRelativePath(root, p)).Order()))
            if (Commands(page).Count > 0) pages.Add(page);
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_command_in_the_page_runs_as_written(string page)
    {
        using var work = new TempFolder();
        File.Copy(TestModel.FilePath, work["mnist.model"]);
        Directory.CreateSymbolicLink(work["data"], Path.Combine(TestData.RepoRoot(), "data"));
        bool fashionHere = TestData.IsAvailable(RealData.FashionMnist) || TestData.Required;

        foreach (var args in Commands(page))
        {
            if (args.Contains("fashion-mnist") && !fashionHere) continue; // RealData's skip reason says how to install it
            var info = ChildProcess.StartInfo(args, workingDirectory: work.Path);
            info.Environment["MNIST_TRAINER_DATA"] = RealDatasets.MnistFolder;
            var run = args[0] == "serve"
                ? ChildProcess.SignalWhenSaid(info, "Serving the drawing page", ChildProcess.SigTerm)
                : ChildProcess.Run(info, TimeSpan.FromMinutes(5));
            Assert.True(run.ExitCode == 0, $"{page}: {Prefix}{string.Join(' ', args)}\nexit code {run.ExitCode}\n{run.Error}");
        }
    }

    [Fact]
    public void The_pages_show_commands_and_the_README_its_tour()
    {
        var readme = Commands("README.md").Select(a => a[0]).ToList();
        Assert.Equal(["train", "predict", "predict", "evaluate", "export", "export", "train"], readme);
    }

    /// <summary>The program's command lines in the page's code blocks (not those of Python or C# examples), in order, comments cut.</summary>
    static List<string[]> Commands(string page)
    {
        var commands = new List<string[]>();
        string? block = null;
        foreach (var line in File.ReadLines(Path.Combine(TestData.RepoRoot(), page)))
        {
            if (line.StartsWith("```"))
            {
                block = block == null ? line[3..].Trim() : null;
                continue;
            }
            if (block is null or "python" or "csharp" || !line.StartsWith(Prefix)) continue;
            var command = line[Prefix.Length..];
            int comment = command.IndexOf(" #", StringComparison.Ordinal);
            commands.Add(Words().Matches(comment < 0 ? command : command[..comment]).Select(m => m.Value.Trim('"', '\'')).ToArray());
        }
        return commands;
    }

    [GeneratedRegex("""("[^"]*"|'[^']*'|\S+)""")]
    private static partial Regex Words();
}
