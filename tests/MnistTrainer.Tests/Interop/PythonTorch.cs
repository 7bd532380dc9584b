using System.Diagnostics;

namespace MnistTrainer.Tests.Interop;

/// <summary>Runs the fixture scripts with the system's Python and PyTorch (Debian's python3-torch) or ONNX (python3-onnx), when they are there.</summary>
public static class PythonTorch
{
    public const string Python = "/usr/bin/python3";
    static readonly Lazy<string?> Missing = new(() => WhyCannotImport("torch", "python3-torch"));

    /// <summary>Why PyTorch cannot be used here, or null when it can.</summary>
    public static string? WhyUnavailable => Missing.Value;

    /// <summary>Why the system's Python cannot import <paramref name="module"/>, with the command that installs it, or null when it can.</summary>
    public static string? WhyCannotImport(string module, string debianPackage)
    {
        var install = $"to run this test: {TestData.AptInstall(debianPackage)}";
        if (!File.Exists(Python)) return $"{Python} does not exist; {install}";
        var (exitCode, _, error) = Run("-c", $"import {module}");
        return exitCode == 0 ? null : $"{Python} cannot import {module} ({error.Trim().Split('\n')[^1]}); {install}";
    }

    public static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Python} {string.Join(" ", arguments)} took more than 2 minutes");
        }
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>
/// A test that needs PyTorch: skipped, with the reason shown, where /usr/bin/python3 cannot import torch, unless
/// <see cref="TestData.RequireVariable"/> is 1 (as on CI, which installs python3-torch): then it runs and fails.
/// </summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (PythonTorch.WhyUnavailable is { } reason && !TestData.Required) Skip = $"needs PyTorch: {reason}";
    }
}
