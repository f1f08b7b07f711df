using EdgeLowRank.Compressor.Compression;

namespace EdgeLowRank.Compressor.Tests.Compression;

/// <summary><c>elr demo</c> reuses a compressed model only when the settings it records are this run's.</summary>
public sealed class RecordedSettingsTests
{
    private static Dictionary<string, string> Recorded(LcOptions options) => options.ToProperties().ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void A_model_made_with_these_settings_differs_in_nothing()
    {
        var options = new LcOptions { TargetRatio = 8 };
        var recorded = Recorded(options);
        recorded["model"] = "lenet300";   // what else the metadata holds is not a setting
        Assert.Equal("", SettingDifferences.FromRecorded(recorded, options));
    }

    [Fact]
    public void Another_target_ratio_is_named_as_the_option()
    {
        var recorded = Recorded(new LcOptions { TargetRatio = 8 });
        Assert.Equal("--target-ratio 8 there, 10 here", SettingDifferences.FromRecorded(recorded, new LcOptions { TargetRatio = 10 }));
    }

    [Fact]
    public void A_setting_the_model_predates_differs_unless_it_is_off()
    {
        var options = new LcOptions { TargetRatio = 8 };
        var recorded = Recorded(options);
        recorded.Remove("compress.classifier");
        recorded.Remove("compress.label-smoothing");   // off here ("none"), so its absence agrees

        Assert.Equal("the classifier (--compress-classifier factorizes it) not recorded there, dense here",
            SettingDifferences.FromRecorded(recorded, options));
    }

    [Fact]
    public void A_setting_off_there_and_on_here_is_named_as_unset_there()
    {
        var recorded = Recorded(new LcOptions { TargetRatio = 8 });
        Assert.Equal("--label-smoothing unset there, 0.1 here",
            SettingDifferences.FromRecorded(recorded, new LcOptions { TargetRatio = 8, LabelSmoothing = 0.1 }));
    }

    [Fact]
    public void The_fine_tune_counts_though_the_checkpoint_leaves_it_out()
    {
        var recorded = Recorded(new LcOptions { TargetRatio = 8 });
        string differences = SettingDifferences.FromRecorded(recorded, new LcOptions { TargetRatio = 8, FinetuneEpochs = 5 });
        Assert.StartsWith("--finetune-epochs/--finetune-lr/--finetune-lr-decay/--finetune-weight-decay 0 epochs", differences);
    }
}
