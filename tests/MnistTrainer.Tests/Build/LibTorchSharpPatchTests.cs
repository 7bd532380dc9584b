using System.Collections;
using System.Runtime.InteropServices;
using Microsoft.Build.Framework;
using MnistTrainer.Build;

namespace MnistTrainer.Tests.Build;

public class ElfVersionNeedsTests
{
    [Fact]
    public void Read_lists_every_needed_version_with_its_file()
    {
        var entries = ElfVersionNeeds.Read(CraftedElf.Build());

        Assert.Equal(
            ["libc.so.6 GLIBC_2.34", "libstdc++.so.6 GLIBCXX_3.4.30", "libstdc++.so.6 GLIBCXX_3.4.32"],
            entries.Select(e => $"{e.File} {e.Version}"));
        Assert.All(entries, e => Assert.Equal(0, e.Flags));
    }

    [Fact]
    public void MarkWeak_sets_the_weak_flag_of_that_entry_only()
    {
        var original = CraftedElf.Build();
        var elf = (byte[])original.Clone();

        Assert.True(ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));

        var weak = ElfVersionNeeds.Read(elf).Where(e => e.Flags != 0).ToList();
        Assert.Equal("GLIBCXX_3.4.32", Assert.Single(weak).Version);
        Assert.Equal(ElfVersionNeeds.WeakFlag, weak[0].Flags);
        Assert.Equal([weak[0].FlagsOffset], DifferingOffsets(original, elf));
    }

    [Fact]
    public void MarkWeak_is_idempotent()
    {
        var once = CraftedElf.Build();
        ElfVersionNeeds.MarkWeak(once, "GLIBCXX_3.4.32");
        var twice = (byte[])once.Clone();

        Assert.True(ElfVersionNeeds.MarkWeak(twice, "GLIBCXX_3.4.32"));
        Assert.Equal(once, twice);
    }

    [Fact]
    public void MarkWeak_of_a_version_not_needed_changes_nothing()
    {
        var elf = CraftedElf.Build();

        Assert.False(ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.33"));
        Assert.Equal(CraftedElf.Build(), elf);
    }

    [Fact]
    public void Read_rejects_a_file_that_is_not_ELF64()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(new byte[100]));
    }

    [LinuxFact]
    public void On_TorchSharps_library_only_the_GLIBCXX_3_4_32_flag_changes()
    {
        var original = File.ReadAllBytes(PackageCache.LibTorchSharp);
        var elf = (byte[])original.Clone();

        Assert.True(ElfVersionNeeds.MarkWeak(elf, "GLIBCXX_3.4.32"));

        var entry = ElfVersionNeeds.Read(elf).Single(e => e.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", entry.File);
        Assert.Equal([entry.FlagsOffset], DifferingOffsets(original, elf));
    }

    internal static int[] DifferingOffsets(byte[] a, byte[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToArray();
    }
}

public sealed class PatchLibTorchSharpTaskTests : IDisposable
{
    readonly TempFolder temp = new();
    string _dir => temp.Path;

    public void Dispose() => temp.Dispose();

    [LinuxFact]
    public void Writes_a_new_file_and_leaves_a_hard_linked_source_alone()
    {
        var source = Path.Combine(_dir, "source.so");
        var destination = Path.Combine(_dir, "obj", "libLibTorchSharp.so");
        File.WriteAllBytes(source, CraftedElf.Build());
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        Assert.Equal(0, link(source, destination)); // what a build with hard links may leave behind

        var task = Run(source, destination);

        Assert.True(task.Patched);
        Assert.Equal(CraftedElf.Build(), File.ReadAllBytes(source));
        var weak = ElfVersionNeeds.Read(File.ReadAllBytes(destination)).Single(e => e.Flags != 0);
        Assert.Equal("GLIBCXX_3.4.32", weak.Version);
    }

    [LinuxFact]
    public void Leaves_an_up_to_date_copy_untouched()
    {
        var source = Path.Combine(_dir, "source.so");
        var destination = Path.Combine(_dir, "libLibTorchSharp.so");
        File.WriteAllBytes(source, CraftedElf.Build());
        Run(source, destination);
        var written = DateTime.UtcNow.AddDays(-1);
        File.SetLastWriteTimeUtc(destination, written);

        Assert.True(Run(source, destination).Patched);
        Assert.Equal(written, File.GetLastWriteTimeUtc(destination));
    }

    [DllImport("libc", SetLastError = true)]
    static extern int link(string existing, string newLink);

    static PatchLibTorchSharp Run(string source, string destination)
    {
        var task = new PatchLibTorchSharp { Source = source, Destination = destination, Force = true, BuildEngine = new SilentEngine() };
        Assert.True(task.Execute());
        return task;
    }

    sealed class SilentEngine : IBuildEngine
    {
        public bool ContinueOnError => false;
        public int LineNumberOfTaskNode => 0;
        public int ColumnNumberOfTaskNode => 0;
        public string ProjectFileOfTaskNode => "";
        public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => false;
        public void LogCustomEvent(CustomBuildEventArgs e) { }
        public void LogErrorEvent(BuildErrorEventArgs e) => throw new InvalidOperationException(e.Message);
        public void LogMessageEvent(BuildMessageEventArgs e) { }
        public void LogWarningEvent(BuildWarningEventArgs e) { }
    }
}
