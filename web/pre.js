// Runs before the Emscripten runtime: points it at our canvas. No network, no globals beyond Module.
Module['canvas'] = document.getElementById('canvas');
Module['print'] = function (text) { console.log(text); };
Module['printErr'] = function (text) { console.warn(text); };
