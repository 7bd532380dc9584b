using System.CommandLine;
using System.Globalization;

namespace MnistTrainer.Cli;

/// <summary>
/// The language of a command's output. Words come from Resources/Strings.resx (English) and
/// Strings.pt.resx (Portuguese), chosen by the UI culture: the system's (LANG) unless <c>--lang</c> names one.
/// Numbers are always written the invariant way ("0.4327", "60,000"), whatever the language, so scripts
/// can read them in any culture.
/// </summary>
public static class Language
{
    public static readonly IReadOnlyList<string> Supported = ["en", "pt"];

    public static Option<string?> CreateOption()
    {
        var option = new Option<string?>("--lang")
        {
            Description = "Language of the output: en or pt (default: the system's UI language). Numbers are always written as 0.4327",
        };
        option.AcceptOnlyFromAmong(Supported.ToArray());
        return option;
    }

    /// <summary>
    /// Until disposed, resources come in <paramref name="language"/> (or the current UI culture when null)
    /// and the current culture is invariant, so any number formatted along the way is invariant too.
    /// </summary>
    public static IDisposable Use(string? language)
    {
        var scope = new Scope(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        if (language != null) CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        return scope;
    }

    /// <summary>Fills a resource's placeholders, numbers formatted invariantly.</summary>
    public static string Format(string format, params object?[] args) => string.Format(CultureInfo.InvariantCulture, format, args);

    sealed class Scope(CultureInfo culture, CultureInfo uiCulture) : IDisposable
    {
        public void Dispose()
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }
}
