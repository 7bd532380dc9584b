using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MnistTrainer.Tests.Robustness;

/// <summary>Runs the real program (the built MnistTrainer.dll beside the tests) in a child process.</summary>
public static class ChildProcess
{
    static readonly string Program = Path.Combine(AppContext.BaseDirectory, "MnistTrainer.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, bool asNobody = false)
    {
        var dotnet = DotnetHost();
        var info = new ProcessStartInfo(dotnet)
        {
            // .NET sets the child's user and groups itself (root only), so no setpriv or sudo is needed.
            UserName = asNobody ? "nobody" : "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Program);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        info.Environment["HOME"] = Path.GetTempPath();
        return info;
    }

    /// <summary>The dotnet host running these tests (the test host may be an apphost, so not simply the process path).</summary>
    static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        if (self != null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    /// <summary>The first folder on the way to <paramref name="path"/> that other users cannot enter, or null.</summary>
    public static string? FolderClosedToOthers(string path)
    {
        for (var dir = new DirectoryInfo(path); dir != null; dir = dir.Parent)
            if (!dir.UnixFileMode.HasFlag(UnixFileMode.OtherExecute)) return dir.FullName;
        return null;
    }

    /// <summary>
    /// Sends SIGINT (what Ctrl+C sends) to the process, through libc's kill(2): the <c>kill</c> program
    /// comes from procps, which minimal systems do not have.
    /// </summary>
    public static void Interrupt(Process process) => Signal(process, 2, "SIGINT");

    /// <summary>Sends SIGTERM (what service managers and <c>docker stop</c> send) to the process, as <see cref="Interrupt"/> does.</summary>
    public static void Terminate(Process process) => Signal(process, 15, "SIGTERM");

    static void Signal(Process process, int signal, string name)
    {
        if (kill(process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({process.Id}, {name}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    public static CliRun RunAsNobody(string[] args) => Run(StartInfo(args, asNobody: true));

    public static CliRun Run(ProcessStartInfo info, TimeSpan? timeout = null)
    {
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the program did not finish");
        }
        return new CliRun(process.ExitCode, output.Result, error.Result);
    }
}
