using System.Text;
using MnistTrainer.Build;
using MnistTrainer.Native;
using MnistTrainer.Tests.Build;
using TorchSharp;
using BuildLibStdCxx = MnistTrainer.Build.LibStdCxx;
using LibStdCxx = MnistTrainer.Native.LibStdCxx;

namespace MnistTrainer.Tests.Native;

public class TorchRuntimeTests
{
    static string OutputLibrary => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [LinuxFact]
    public void The_build_patched_the_library_in_the_output_exactly_when_the_system_libstdcxx_lacks_GLIBCXX_3_4_32()
    {
        var original = File.ReadAllBytes(PackageCache.LibTorchSharp);
        var output = File.ReadAllBytes(OutputLibrary);
        var libStdCxx = BuildLibStdCxx.Find();
        Assert.NotNull(libStdCxx);

        if (BuildLibStdCxx.HasVersion(libStdCxx, "GLIBCXX_3.4.32"))
        {
            Assert.Equal(original, output);
            return;
        }
        var weak = Assert.Single(ElfVersionNeeds.Read(output), e => e.Flags != 0);
        Assert.Equal(("libstdc++.so.6", "GLIBCXX_3.4.32", ElfVersionNeeds.WeakFlag), (weak.File, weak.Version, weak.Flags));
        Assert.Equal([weak.FlagsOffset], ElfVersionNeedsTests.DifferingOffsets(original, output));
    }

    [LinuxFact]
    public void The_package_cache_copy_is_untouched()
    {
        var entries = ElfVersionNeeds.Read(File.ReadAllBytes(PackageCache.LibTorchSharp));

        Assert.Contains(entries, e => e.Version == "GLIBCXX_3.4.32");
        Assert.All(entries, e => Assert.Equal(0, e.Flags));
    }

    [Fact]
    public void EnsureLoaded_loads_TorchSharp_and_a_Linear_forward_pass_runs()
    {
        TorchRuntime.EnsureLoaded();
        TorchRuntime.EnsureLoaded();

        using var linear = MnistTrainer.Model.MnistNetwork.DrawingFromTheGlobalGenerator(() => torch.nn.Linear(3, 2));
        using var x = torch.arange(12, dtype: torch.float32).reshape(4, 3);
        using var y = linear.forward(x);

        Assert.Equal([4L, 2L], y.shape);
        using var expected = x.matmul(linear.weight!.t()) + linear.bias!;
        Assert.True(y.allclose(expected));
    }
}

public class LibStdCxxTests
{
    [LinuxFact]
    public void Find_returns_the_libstdcxx_of_this_process()
    {
        var path = LibStdCxx.Find();

        Assert.NotNull(path);
        Assert.True(File.Exists(path));
        Assert.StartsWith("libstdc++.so", Path.GetFileName(path));
        Assert.Matches(@"^GLIBCXX_3\.4\.\d+$", LibStdCxx.NewestGlibcxx(path));
    }

    [Fact]
    public void NewestGlibcxx_compares_versions_as_numbers()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Encoding.ASCII.GetBytes("\x7f" + "ELF\0GLIBCXX_3.4.9\0GLIBCXX_3.4.30\0GLIBCXX_3.4.29\0CXXABI_1.3.15\0"));
            Assert.Equal("GLIBCXX_3.4.30", LibStdCxx.NewestGlibcxx(path));

            File.WriteAllBytes(path, Encoding.ASCII.GetBytes("no versions here"));
            Assert.Null(LibStdCxx.NewestGlibcxx(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
