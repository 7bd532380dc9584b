using System.Text;
using MnistTrainer.Native;

namespace MnistTrainer.Tests.Native;

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
