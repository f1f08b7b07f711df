using System.Device.Gpio;

namespace EdgeLowRank.Samples.DigitKiosk.Hardware;

/// <summary>LEDs on GPIO outputs, each wired pin → resistor (330 Ω) → LED anode, cathode → ground:
/// a high pin lights its LED. All LEDs are switched off when the bank is disposed.</summary>
internal sealed class GpioLedBank : ILedBank
{
    private readonly GpioController _gpio;
    private readonly int[] _pins;

    /// <summary>Opens every pin (BCM numbering) as an output, LED off.</summary>
    public GpioLedBank(GpioController gpio, IReadOnlyList<int> pins)
    {
        _gpio = gpio;
        _pins = [.. pins];
        foreach (int pin in _pins) _gpio.OpenPin(pin, PinMode.Output, PinValue.Low);
    }

    /// <inheritdoc/>
    public void Show(ReadOnlySpan<bool> states)
    {
        for (int i = 0; i < _pins.Length; i++) _gpio.Write(_pins[i], states[i] ? PinValue.High : PinValue.Low);
    }

    /// <summary>Switches the LEDs off and releases the pins.</summary>
    public void Dispose()
    {
        foreach (int pin in _pins)
        {
            _gpio.Write(pin, PinValue.Low);
            _gpio.ClosePin(pin);
        }
    }
}
