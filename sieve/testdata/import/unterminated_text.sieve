require "vacation";
vacation text:
Bonjour
