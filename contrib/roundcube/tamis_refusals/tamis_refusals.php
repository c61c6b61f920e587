<?php

/**
 * tamis_refusals: show the ManageSieve server's reason when it refuses a
 * script.
 *
 * Roundcube's managesieve plugin answers every refused upload from its
 * vacation, forward and filter forms with the same "Unable to save data.
 * Server error occurred.", dropping the reason the server gave. tamis
 * refuses, for example, an absence reply that forwards mail outside the
 * MSSanté trust space, and says why ("line 6: copy target … is outside the
 * MSSanté trust space — …"); this plugin shows that reason to the user.
 *
 * It reads the server's answers from the managesieve plugin's protocol
 * trace, so it needs $config['managesieve_debug'] = true; it never lets that
 * trace reach the log (it holds the user's password, base64-encoded).
 *
 * Enable it after managesieve: $config['plugins'] = ['managesieve', 'tamis_refusals'];
 */
class tamis_refusals extends rcube_plugin
{
    public $task = 'settings';

    /** @var string the last command sent to the ManageSieve server */
    private $command = '';

    public function init()
    {
        $this->add_hook('write_log', [$this, 'write_log']);
    }

    /**
     * Reads the managesieve protocol trace, shows the reason of a refused
     * PUTSCRIPT or CHECKSCRIPT, and keeps the trace out of the log.
     */
    public function write_log($args)
    {
        if ($args['name'] !== 'sieve') {
            return $args;
        }
        $args['abort'] = true;
        $line = (string) $args['line'];
        if (strncmp($line, 'C: ', 3) === 0) {
            $this->command = strtoupper(strtok(substr($line, 3), ' '));
        } elseif (
            in_array($this->command, ['PUTSCRIPT', 'CHECKSCRIPT'], true)
            && preg_match('/^S: NO (?:\([^)]*\) )?"((?:[^"\\\\]|\\\\.)*)"/', $line, $m)
        ) {
            $reason = preg_replace('/\\\\(["\\\\])/', '$1', $m[1]);
            rcmail::get_instance()->output->show_message($reason, 'error', null, true, 60);
        }
        return $args;
    }
}
