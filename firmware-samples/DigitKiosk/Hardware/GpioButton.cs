using System.Device.Gpio;

namespace EdgeLowRank.Samples.DigitKiosk.Hardware;

/// <summary>
/// A normally-open push button between a GPIO pin and ground, read with the SoC's internal pull-up:
/// released reads high, pressed reads low. A falling edge counts as a press only if the pin is still
/// low after the debounce time, so contact bounce and short glitches are ignored.
/// </summary>
internal sealed class GpioButton : IButton
{
    private readonly GpioController _gpio;
    private readonly int _pin;
    private readonly TimeSpan _debounce;

    /// <summary>Opens <paramref name="pin"/> (BCM numbering) as an input with pull-up.</summary>
    public GpioButton(GpioController gpio, int pin, TimeSpan debounce)
    {
        _gpio = gpio;
        _pin = pin;
        _debounce = debounce;
        _gpio.OpenPin(pin, PinMode.InputPullUp);
    }

    /// <inheritdoc/>
    public bool WaitForPress(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            WaitForEventResult edge = _gpio.WaitForEvent(_pin, PinEventTypes.Falling, cancellation);
            if (edge.TimedOut) return false;
            Thread.Sleep(_debounce);
            if (_gpio.Read(_pin) == PinValue.Low) return true;
        }
        return false;
    }

    /// <summary>Releases the pin; the controller is disposed by its owner.</summary>
    public void Dispose() => _gpio.ClosePin(_pin);
}
