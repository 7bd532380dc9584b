using System.Reflection;
using System.Text.RegularExpressions;
using MnistTrainer.Cli;

namespace MnistTrainer.Tests.Cli;

public class ExitCodesTests
{
    /// <summary>docs/errors.md's table of exit codes is the contract: each code the program returns is in it, and nothing else.</summary>
    [Fact]
    public void The_table_in_docs_errors_lists_exactly_the_codes_the_program_returns()
    {
        var returned = typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (int)f.GetValue(null)!).Order().ToList();
        var doc = File.ReadAllText(Path.Combine(TestData.RepoRoot(), "docs", "errors.md"));
        var table = doc[doc.IndexOf("## Exit codes", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", 3, StringComparison.Ordinal)];

        var documented = Regex.Matches(table, @"^\| (\d+) \|", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value)).Order().ToList();

        Assert.Equal(returned, documented);
    }

    /// <summary>Every exit code comes from <see cref="ExitCodes"/>: no command returns a bare number the table could miss.</summary>
    [Fact]
    public void No_command_returns_a_bare_number()
    {
        var sources = Directory.GetFiles(Path.Combine(TestData.RepoRoot(), "src", "MnistTrainer", "Cli"), "*.cs", SearchOption.AllDirectories);
        var bare = sources.SelectMany(f => File.ReadLines(f).Where(l => Regex.IsMatch(l, @"\breturn -?\d+;")).Select(l => $"{Path.GetFileName(f)}: {l.Trim()}"));
        Assert.Empty(bare);
    }
}
