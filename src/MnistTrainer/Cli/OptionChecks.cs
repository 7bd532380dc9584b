using System.CommandLine;

namespace MnistTrainer.Cli;

/// <summary>Range checks on option values, as one clear line naming the option.</summary>
public static class OptionChecks
{
    /// <summary>Adds a check that returns a problem, or null when the value is fine.</summary>
    public static void Check<T>(this Option<T> option, Func<T, string?> problem)
    {
        option.Validators.Add(r =>
        {
            T value;
            // A value that is not a T at all: the parser reports that itself, naming the option.
            try { value = r.GetValueOrDefault<T>(); }
            catch (InvalidOperationException) { return; }
            if (problem(value) is { } message) r.AddError(message);
        });
    }
}
