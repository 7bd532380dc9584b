using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MnistTrainer.Tests.Robustness;

/// <summary>Runs the real program (the built MnistTrainer.dll beside the tests) in a child process.</summary>
public static class ChildProcess
{
    static readonly string Program = Path.Combine(AppContext.BaseDirectory, "MnistTrainer.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, string? workingDirectory = null)
    {
        var dotnet = DotnetHost();
        var info = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        info.ArgumentList.Add(Program);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        info.Environment["HOME"] = Path.GetTempPath();
        return info;
    }

    /// <summary>The dotnet host running these tests (the test host may be an apphost, so not simply the process path).</summary>
    public static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        var self = Environment.ProcessPath;
        if (self != null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return "dotnet";
    }

    public const int SigHup = 1, SigInt = 2, SigTerm = 15;

    /// <summary>Sends SIGINT (what Ctrl+C sends) to the process.</summary>
    public static void Interrupt(Process process) => Signal(process, SigInt);

    /// <summary>Sends SIGTERM (what service managers and <c>docker stop</c> send) to the process.</summary>
    public static void Terminate(Process process) => Signal(process, SigTerm);

    /// <summary>
    /// Sends <paramref name="signal"/> to the process, through libc's kill(2): the <c>kill</c> program comes from
    /// procps, which minimal systems do not have.
    /// </summary>
    public static void Signal(Process process, int signal)
    {
        if (kill(process.Id, signal) != 0)
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Starts the program, waits until its standard output (or error, <paramref name="watchError"/>) has a line starting
    /// with <paramref name="startsWith"/> (so it is at work), sends <paramref name="signal"/>, runs <paramref name="afterSignal"/>
    /// (to release a program held up on purpose), and returns how it ended.
    /// </summary>
    public static CliRun SignalWhenSaid(ProcessStartInfo info, string startsWith, int signal, bool watchError = false, Action? afterSignal = null)
    {
        using var process = Process.Start(info)!;
        var (watched, other) = watchError ? (process.StandardError, process.StandardOutput) : (process.StandardOutput, process.StandardError);
        var rest = other.ReadToEndAsync();
        var said = new System.Text.StringBuilder();
        string? line;
        while ((line = watched.ReadLine()) != null)
        {
            said.AppendLine(line);
            if (line.StartsWith(startsWith)) break;
        }
        if (line == null) Assert.Fail($"the program ended before saying \"{startsWith}\": {said}{rest.Result}"); // not Assert.True: its message would wait for the end
        Signal(process, signal);
        afterSignal?.Invoke();
        said.Append(watched.ReadToEnd());
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the program did not stop after the signal");
        }
        return watchError ? new CliRun(process.ExitCode, rest.Result, said.ToString()) : new CliRun(process.ExitCode, said.ToString(), rest.Result);
    }

    /// <summary>Runs the program and returns its exit code, its standard output as bytes (a file written to it) and its standard error.</summary>
    public static (int ExitCode, byte[] Out, string Error) RunBinary(ProcessStartInfo info)
    {
        using var process = Process.Start(info)!;
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the program did not finish");
        }
        copy.Wait();
        return (process.ExitCode, output.ToArray(), error.Result);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    /// <summary>util-linux's setpriv, in Debian's minimal systems (util-linux is essential there).</summary>
    public const string SetPriv = "/usr/bin/setpriv";

    /// <summary>
    /// Runs the program so that file modes bind it: as itself, or, when the tests run as root (who reads any file
    /// whatever its mode), as root without the two capabilities behind that (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH),
    /// through <see cref="SetPriv"/>. Not as another user such as nobody: that user may not be able to enter the
    /// checkout (a clone in /root or in any mode-700 folder).
    /// </summary>
    public static CliRun RunBoundByFileModes(string[] args)
    {
        var info = StartInfo(args);
        if (CurrentUser.IsRoot)
        {
            string[] dropFileCapabilities = ["--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--", info.FileName];
            for (int i = 0; i < dropFileCapabilities.Length; i++) info.ArgumentList.Insert(i, dropFileCapabilities[i]);
            info.FileName = SetPriv;
        }
        return Run(info);
    }

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
