namespace MnistTrainer.Training;

/// <summary>The names of the settings' choices, as the command line takes them and the model file records them.</summary>
public static class SettingNames
{
    public static readonly IReadOnlyDictionary<string, OptimizerKind> Optimizers = new Dictionary<string, OptimizerKind>
    {
        ["sgd"] = OptimizerKind.Sgd, ["adam"] = OptimizerKind.Adam, ["adamw"] = OptimizerKind.AdamW,
    };
    public static readonly IReadOnlyDictionary<string, ScheduleKind> Schedules = new Dictionary<string, ScheduleKind>
    {
        ["constant"] = ScheduleKind.Constant, ["step"] = ScheduleKind.Step, ["cosine"] = ScheduleKind.Cosine, ["onecycle"] = ScheduleKind.OneCycle,
    };
    public static readonly IReadOnlyDictionary<string, Augmentation> Augmentations = new Dictionary<string, Augmentation>
    {
        ["none"] = Augmentation.None, ["shift"] = Augmentation.Shift, ["shift-flip"] = Augmentation.ShiftFlip,
    };
    public static readonly IReadOnlyDictionary<string, KeepWeights> Keeps = new Dictionary<string, KeepWeights>
    {
        ["last"] = KeepWeights.Last, ["best"] = KeepWeights.Best,
    };

    public static string Of<T>(IReadOnlyDictionary<string, T> names, T value) where T : struct, Enum =>
        names.First(pair => pair.Value.Equals(value)).Key;
}
